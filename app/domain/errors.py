"""The base of every refusal the user sees: one plain Dutch sentence, what and what to do."""


class WegwijsError(Exception):
    """An error whose message is meant for the user (Dutch, one sentence)."""
