-- csf schema v2 (csf 0.2.0). Adds, never rewrites: every v1 row is kept.

-- Every snapshot records the weights it was computed with (SPEC §12.2), so a
-- change of weights never rewrites history. Snapshots written before v2 get
-- the weights in force when the file was upgraded.
ALTER TABLE health_snapshots ADD COLUMN weights TEXT NOT NULL DEFAULT '40,30,20,10';
UPDATE health_snapshots
   SET weights = (SELECT value FROM config WHERE key = 'health.weights')
 WHERE EXISTS (SELECT 1 FROM config WHERE key = 'health.weights');

-- Who opened a ticket: 'csf' (csf ticket open) or 'import'. An import never
-- updates a ticket csf opened (SPEC §7.1: ids are owned).
ALTER TABLE tickets ADD COLUMN origin TEXT NOT NULL DEFAULT 'import'
    CHECK (origin IN ('csf', 'import'));
UPDATE tickets SET origin = 'csf'
 WHERE tid IN (SELECT tid FROM ticket_events WHERE kind = 'opened' AND (body IS NULL OR body <> 'imported'));

-- Events written by an import are marked by a column, not by their text, so
-- a note a person wrote ("Imported data looks wrong") survives re-imports.
ALTER TABLE ticket_events ADD COLUMN imported INTEGER NOT NULL DEFAULT 0 CHECK (imported IN (0, 1));
UPDATE ticket_events SET imported = 1 WHERE body = 'imported' OR body LIKE 'imported: %';

-- Touches (SPEC §13.2): every contact with a customer, by hand (`csf touch`)
-- or by doing an action of `csf today` (`csf done`).
CREATE TABLE touches (
    id        INTEGER PRIMARY KEY,
    cid       INTEGER NOT NULL REFERENCES customers (cid) ON DELETE CASCADE,
    ts        INTEGER NOT NULL,
    kind      TEXT    NOT NULL CHECK (kind IN ('call', 'email', 'meeting', 'note')),
    action    TEXT,                          -- the `csf today` action id done, NULL for a hand touch
    action_kind TEXT CHECK (action_kind IN ('ticket', 'rescue', 'winback', 'onboarding', 'expand')),
    note      TEXT
);
CREATE INDEX touches_cid_ts ON touches (cid, ts);
CREATE INDEX touches_action ON touches (action);

-- Message templates changed with `csf template set` (defaults ship in the binary).
CREATE TABLE templates (
    name       TEXT PRIMARY KEY,
    body       TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
);

DROP VIEW health_v;
CREATE VIEW health_v AS
SELECT c.id AS customer_id, h.day, h.score, h.status, h.usage, h.engagement, h.satisfaction, h.payment,
       h.weights, strftime('%Y-%m-%dT%H:%M:%SZ', h.computed_at, 'unixepoch') AS computed_at
FROM health_snapshots h JOIN customers c ON c.cid = h.cid;

CREATE VIEW touches_v AS
SELECT c.id AS customer_id, strftime('%Y-%m-%dT%H:%M:%SZ', t.ts, 'unixepoch') AS at, t.kind,
       t.action, t.action_kind, t.note
FROM touches t JOIN customers c ON c.cid = t.cid;
