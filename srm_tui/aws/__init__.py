"""The AWS side: sessions, regions, memoised collectors and the API-call ledger.

Nothing here knows about the user interface, and every call is read-only.
"""
