"""The tamper-evident ledger of reported data: an append-only Merkle log (RFC 6962) of every
submission, decision, correction and import, with signed tree heads and receipts."""
