"""Facilitator kit: guide, session plans, live session, printables, answer key."""
