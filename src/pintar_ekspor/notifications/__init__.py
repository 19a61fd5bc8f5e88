"""Notifications: email outbox, delivery worker, backends and templates."""
