"""Tamper-evident audit trail: the `audit_log` table, its admin and self-service views."""
