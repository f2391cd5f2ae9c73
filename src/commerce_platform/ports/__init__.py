"""Ports: small Protocols with a local adapter (embedded default) and an AWS adapter each.

Import the concrete module you need; nothing heavy is imported here.
"""
