"""Delivery of test messages: build a real MIME message and send it over SMTP."""
