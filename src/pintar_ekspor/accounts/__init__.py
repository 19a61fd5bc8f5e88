"""Accounts: users, roles, authentication, API keys."""
