-- csf schema v1. Times are INTEGER Unix seconds (UTC), money INTEGER cents,
-- days TEXT 'YYYY-MM-DD'. Never edit this file once released: add 002_*.sql.

CREATE TABLE customers (
    cid          INTEGER PRIMARY KEY,           -- internal key used by every other table
    id           TEXT    NOT NULL UNIQUE,       -- the founder's customer id
    name         TEXT,
    email        TEXT,
    plan         TEXT,
    mrr_cents    INTEGER,
    signed_up_at INTEGER,                       -- NULL: unknown (treated as long ago)
    churned_at   INTEGER,                       -- NULL: not churned
    created_at   INTEGER NOT NULL,              -- when csf first stored the row
    updated_at   INTEGER NOT NULL
);
CREATE INDEX customers_email ON customers (email COLLATE NOCASE);

-- Event names are interned: usage rows hold a small integer.
CREATE TABLE event_names (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE,
    first_seen INTEGER NOT NULL              -- earliest usage event with this name (kept by import)
);

-- One row per (customer, time, event): the natural key is the clustered key,
-- so the table is its own (customer, time) index.
CREATE TABLE usage_events (
    cid      INTEGER NOT NULL REFERENCES customers (cid) ON DELETE CASCADE,
    ts       INTEGER NOT NULL,
    event_id INTEGER NOT NULL REFERENCES event_names (id),
    count    INTEGER NOT NULL DEFAULT 1 CHECK (count >= 1),
    PRIMARY KEY (cid, ts, event_id)
) WITHOUT ROWID;

CREATE TABLE nps_responses (
    cid          INTEGER NOT NULL REFERENCES customers (cid) ON DELETE CASCADE,
    responded_at INTEGER NOT NULL,
    score        INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
    comment      TEXT,
    PRIMARY KEY (cid, responded_at)
) WITHOUT ROWID;
CREATE INDEX nps_responded_at ON nps_responses (responded_at);

CREATE TABLE billing_records (
    id           INTEGER PRIMARY KEY,
    cid          INTEGER NOT NULL REFERENCES customers (cid) ON DELETE CASCADE,
    date         INTEGER NOT NULL,
    amount_cents INTEGER NOT NULL,
    currency     TEXT,
    status       TEXT    NOT NULL CHECK (status IN ('paid', 'late', 'failed', 'refunded', 'void')),
    invoice_id   TEXT
);
CREATE UNIQUE INDEX billing_invoice ON billing_records (invoice_id) WHERE invoice_id IS NOT NULL;
CREATE UNIQUE INDEX billing_customer_date ON billing_records (cid, date) WHERE invoice_id IS NULL;
CREATE INDEX billing_cid_date ON billing_records (cid, date);

CREATE TABLE tickets (
    tid               INTEGER PRIMARY KEY,
    id                TEXT    NOT NULL UNIQUE,  -- imported ids kept as they are; new ones numbered
    cid               INTEGER NOT NULL REFERENCES customers (cid) ON DELETE CASCADE,
    subject           TEXT,
    category          TEXT,
    priority          TEXT    NOT NULL DEFAULT 'normal',
    channel           TEXT,
    status            TEXT    NOT NULL DEFAULT 'open'
                      CHECK (status IN ('open', 'acknowledged', 'resolved', 'closed')),
    escalated         INTEGER NOT NULL DEFAULT 0,
    created_at        INTEGER NOT NULL,
    first_response_at INTEGER,
    resolved_at       INTEGER,
    closed_at         INTEGER,
    csat              INTEGER CHECK (csat BETWEEN 1 AND 5),
    csat_at           INTEGER                   -- when the rating was given
);
CREATE INDEX tickets_cid_created ON tickets (cid, created_at);
CREATE INDEX tickets_created ON tickets (created_at);
CREATE INDEX tickets_resolved ON tickets (resolved_at);

-- The timeline of a ticket: every change is an event stamped with `now`.
CREATE TABLE ticket_events (
    id   INTEGER PRIMARY KEY,
    tid  INTEGER NOT NULL REFERENCES tickets (tid) ON DELETE CASCADE,
    ts   INTEGER NOT NULL,
    kind TEXT    NOT NULL,                      -- opened, replied, note, escalated, resolved, closed, rated, imported
    body TEXT
);
CREATE INDEX ticket_events_tid ON ticket_events (tid, ts);

CREATE TABLE category_plans (
    category   TEXT PRIMARY KEY,
    plan       TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE category_docs (
    category   TEXT NOT NULL,
    url        TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (category, url)
);

CREATE TABLE health_snapshots (
    cid          INTEGER NOT NULL REFERENCES customers (cid) ON DELETE CASCADE,
    day          TEXT    NOT NULL,              -- YYYY-MM-DD (UTC) the score is for
    usage        REAL    NOT NULL,              -- unrounded components 0-100
    engagement   REAL    NOT NULL,
    satisfaction REAL    NOT NULL,
    payment      REAL    NOT NULL,
    score        INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
    status       TEXT    NOT NULL,
    computed_at  INTEGER NOT NULL,
    PRIMARY KEY (cid, day)
) WITHOUT ROWID;
CREATE INDEX health_day ON health_snapshots (day);

CREATE TABLE churn_records (
    id            INTEGER PRIMARY KEY,
    cid           INTEGER NOT NULL REFERENCES customers (cid) ON DELETE CASCADE,
    churned_at    INTEGER NOT NULL,
    reason        TEXT CHECK (reason IN ('found-alternative', 'no-longer-need', 'too-expensive',
                                         'missing-features', 'poor-experience', 'other')),
    reason_other  TEXT,
    better        TEXT,
    return_answer TEXT CHECK (return_answer IN ('yes', 'maybe', 'unlikely', 'no')),
    mrr_cents     INTEGER,                      -- MRR at the time of churn
    recorded_at   INTEGER NOT NULL
);
CREATE INDEX churn_records_cid ON churn_records (cid, churned_at);

-- Outreach steps marked done (onboarding emails, win-back steps).
CREATE TABLE outreach_done (
    cid        INTEGER NOT NULL REFERENCES customers (cid) ON DELETE CASCADE,
    sequence   TEXT    NOT NULL CHECK (sequence IN ('onboarding', 'winback')),
    started_on TEXT    NOT NULL,                -- YYYY-MM-DD the sequence started
    step_day   INTEGER NOT NULL,
    done_at    INTEGER NOT NULL,
    PRIMARY KEY (cid, sequence, started_on, step_day)
) WITHOUT ROWID;

CREATE TABLE config (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE import_log (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL,
    file        TEXT    NOT NULL,
    started_at  INTEGER NOT NULL,
    finished_at INTEGER NOT NULL,
    rows_read   INTEGER NOT NULL,
    inserted    INTEGER NOT NULL,
    updated     INTEGER NOT NULL,
    skipped     INTEGER NOT NULL
);

-- Views with ISO-8601 text times and decimal money for sqlite3, Datasette or a notebook.
CREATE VIEW customers_v AS
SELECT id, name, email, plan, mrr_cents / 100.0 AS mrr,
       strftime('%Y-%m-%dT%H:%M:%SZ', signed_up_at, 'unixepoch') AS signed_up_at,
       strftime('%Y-%m-%dT%H:%M:%SZ', churned_at, 'unixepoch') AS churned_at
FROM customers;

CREATE VIEW usage_v AS
SELECT c.id AS customer_id, strftime('%Y-%m-%dT%H:%M:%SZ', u.ts, 'unixepoch') AS timestamp,
       e.name AS event, u.count
FROM usage_events u JOIN customers c ON c.cid = u.cid JOIN event_names e ON e.id = u.event_id;

CREATE VIEW nps_v AS
SELECT c.id AS customer_id, strftime('%Y-%m-%dT%H:%M:%SZ', n.responded_at, 'unixepoch') AS responded_at,
       n.score, n.comment
FROM nps_responses n JOIN customers c ON c.cid = n.cid;

CREATE VIEW billing_v AS
SELECT c.id AS customer_id, strftime('%Y-%m-%dT%H:%M:%SZ', b.date, 'unixepoch') AS date,
       b.amount_cents / 100.0 AS amount, b.currency, b.status, b.invoice_id
FROM billing_records b JOIN customers c ON c.cid = b.cid;

CREATE VIEW tickets_v AS
SELECT t.id, c.id AS customer_id, t.subject, t.category, t.priority, t.channel, t.status, t.escalated,
       strftime('%Y-%m-%dT%H:%M:%SZ', t.created_at, 'unixepoch') AS created_at,
       strftime('%Y-%m-%dT%H:%M:%SZ', t.first_response_at, 'unixepoch') AS first_response_at,
       strftime('%Y-%m-%dT%H:%M:%SZ', t.resolved_at, 'unixepoch') AS resolved_at,
       strftime('%Y-%m-%dT%H:%M:%SZ', t.closed_at, 'unixepoch') AS closed_at,
       t.csat
FROM tickets t JOIN customers c ON c.cid = t.cid;

CREATE VIEW ticket_events_v AS
SELECT t.id AS ticket_id, strftime('%Y-%m-%dT%H:%M:%SZ', e.ts, 'unixepoch') AS at, e.kind, e.body
FROM ticket_events e JOIN tickets t ON t.tid = e.tid;

CREATE VIEW health_v AS
SELECT c.id AS customer_id, h.day, h.score, h.status, h.usage, h.engagement, h.satisfaction, h.payment,
       strftime('%Y-%m-%dT%H:%M:%SZ', h.computed_at, 'unixepoch') AS computed_at
FROM health_snapshots h JOIN customers c ON c.cid = h.cid;

CREATE VIEW churn_v AS
SELECT c.id AS customer_id, strftime('%Y-%m-%dT%H:%M:%SZ', r.churned_at, 'unixepoch') AS churned_at,
       r.reason, r.reason_other, r.better, r.return_answer, r.mrr_cents / 100.0 AS mrr
FROM churn_records r JOIN customers c ON c.cid = r.cid;
