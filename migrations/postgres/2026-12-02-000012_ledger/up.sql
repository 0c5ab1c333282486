-- Time credits (timebank practice: an hour given earns an hour to spend).
-- Amounts are whole minutes. One account per local person or group
-- (`owner_id`), and one per linked territory (`peer_domain`) whose balance
-- is the running balance with that territory. `balance` is kept by the
-- transfers only; `held_out`/`held_in` are amounts reserved by a
-- cross-territory exchange that one side has confirmed, so that the
-- other side's confirmation can never be refused by a limit afterwards.
CREATE TABLE ledger_accounts (
    id BIGINT PRIMARY KEY NOT NULL,
    owner_id BIGINT UNIQUE,
    peer_domain TEXT UNIQUE,
    lower_limit BIGINT NOT NULL,
    upper_limit BIGINT NOT NULL,
    balance BIGINT NOT NULL,
    held_out BIGINT NOT NULL,
    held_in BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    CHECK ((owner_id IS NULL) <> (peer_domain IS NULL)),
    CHECK (lower_limit <= 0 AND upper_limit >= 0)
);

-- Double entry: each transfer is two movements that sum to zero. Both
-- tables are append-only (triggers below): a mistake is corrected by a
-- new transfer, never by an edit.
CREATE TABLE ledger_transfers (
    id BIGINT PRIMARY KEY NOT NULL,
    from_account BIGINT NOT NULL REFERENCES ledger_accounts (id),
    to_account BIGINT NOT NULL REFERENCES ledger_accounts (id),
    minutes BIGINT NOT NULL CHECK (minutes > 0),
    reason TEXT NOT NULL CHECK (reason IN ('agreement', 'correction')),
    memo TEXT NOT NULL,
    -- The agreement it settles: at most one transfer each.
    agreement_uri TEXT UNIQUE,
    -- Who recorded it (an actor: the confirming party, or the admin).
    recorded_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    CHECK (from_account <> to_account)
);

CREATE TABLE ledger_movements (
    id BIGINT PRIMARY KEY NOT NULL,
    transfer_id BIGINT NOT NULL REFERENCES ledger_transfers (id),
    account_id BIGINT NOT NULL REFERENCES ledger_accounts (id),
    minutes BIGINT NOT NULL,
    balance_after BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX ledger_movements_by_account ON ledger_movements (account_id, id);
CREATE INDEX ledger_movements_by_transfer ON ledger_movements (transfer_id);

-- Each party's confirmation that an agreement was fulfilled, with the
-- amount it confirms. Time credits move once both parties confirmed the
-- same amount. `held` says this node reserved the amount on its side.
CREATE TABLE agreement_confirmations (
    agreement_id BIGINT NOT NULL REFERENCES agreements (id) ON DELETE CASCADE,
    actor_id BIGINT NOT NULL,
    minutes BIGINT NOT NULL,
    activity_uri TEXT,
    held_from BIGINT,
    held_to BIGINT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (agreement_id, actor_id)
);

-- Hours members give to a project, by form of work, confirmed by one of
-- the project's admins.
CREATE TABLE contributions (
    id BIGINT PRIMARY KEY NOT NULL,
    group_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    member_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    minutes BIGINT NOT NULL CHECK (minutes > 0),
    form TEXT NOT NULL CHECK (form IN ('paid', 'volunteer', 'exchange')),
    note TEXT NOT NULL,
    worked_on BIGINT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'confirmed', 'rejected')),
    decided_by BIGINT,
    created_at BIGINT NOT NULL,
    decided_at BIGINT
);
CREATE INDEX contributions_by_group ON contributions (group_id, state);

CREATE FUNCTION ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ledger % are append-only', TG_TABLE_NAME;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER ledger_transfers_append_only BEFORE UPDATE OR DELETE ON ledger_transfers
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER ledger_movements_append_only BEFORE UPDATE OR DELETE ON ledger_movements
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
