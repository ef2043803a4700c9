-- One row per receipt record, as received. Written for SQLite and PostgreSQL alike: the same
-- text runs on both (TEXT and BIGINT only, no autoincrement, ON CONFLICT in the inserts).
CREATE TABLE receipts (
    -- Hex SHA-256 of the message name and the record's canonical JSON: a re-pushed record has
    -- the same key, so storing it again stores nothing (see `popgen_receipts::key`).
    record_key  TEXT PRIMARY KEY,
    -- The receipt message (`VoiceReport`): the path it was pushed to.
    message     TEXT NOT NULL,
    -- Link fields, copied out of the record for lookups; NULL when the record has none.
    call_id     TEXT,
    out_id      TEXT,
    status_code TEXT,
    -- When the push was committed: milliseconds since the Unix epoch (UTC).
    received_ms BIGINT NOT NULL,
    -- The record's index in its push.
    push_index  BIGINT NOT NULL,
    -- The record as the generated type reads it, written back as JSON; the raw JSON as
    -- received when it did not decode.
    record      TEXT NOT NULL,
    -- Why the record did not decode; NULL when it did.
    error       TEXT
);
CREATE INDEX receipts_call_id ON receipts (call_id);
CREATE INDEX receipts_out_id ON receipts (out_id);
CREATE INDEX receipts_received ON receipts (received_ms);
