export const LEDGER_SCHEMA = 'ledger';
