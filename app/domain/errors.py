"""The base of every refusal the user sees: one plain Dutch sentence, what and what to do."""


class WegwijsError(Exception):
    """An error whose message is meant for the user (Dutch, one sentence)."""


class RetryLater(WegwijsError):
    """A refusal that may pass by itself (the store is busy): trying again in a moment can work."""
