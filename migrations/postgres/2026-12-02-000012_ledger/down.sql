DROP TABLE contributions;
DROP TABLE agreement_confirmations;
DROP TABLE ledger_movements;
DROP TABLE ledger_transfers;
DROP TABLE ledger_accounts;
DROP FUNCTION ledger_append_only();
