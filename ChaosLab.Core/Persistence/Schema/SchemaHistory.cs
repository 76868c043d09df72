using ChaosLab.Core.Persistence.Storage;
using Microsoft.Data.Sqlite;

namespace ChaosLab.Core.Persistence.Schema;

/// <summary>Every schema step this build knows, in order. The last one is the current version.</summary>
public static class SchemaHistory
{
    public static IReadOnlyList<SchemaUpgrade> Upgrades { get; } =
    [
        new(1, "episodes",
        [
            """
            CREATE TABLE episodes (
                id          TEXT    NOT NULL PRIMARY KEY,
                suite       TEXT    NOT NULL,
                task_id     TEXT    NOT NULL,
                tier        TEXT    NOT NULL,
                scenario_id TEXT    NOT NULL,
                seed        INTEGER NOT NULL,
                agent       TEXT    NOT NULL,
                client_kind TEXT    NOT NULL,
                started_at  INTEGER NOT NULL,
                ended_at    INTEGER NULL,
                outcome     TEXT    NULL,
                score       REAL    NULL
            )
            """,
            "CREATE INDEX ix_episodes_started_at ON episodes (started_at)",
            "CREATE INDEX ix_episodes_agent ON episodes (agent, suite, task_id, tier)",
        ]),
        new(2, "trajectories: steps, fired fault kinds, episode details for replay and browsing",
        [
            // Rows from version 1 keep their values; the new NOT NULL columns read 0 for them.
            "ALTER TABLE episodes ADD COLUMN scenario_version INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE episodes ADD COLUMN max_steps INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE episodes ADD COLUMN step_count INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE episodes ADD COLUMN question TEXT NULL",
            "ALTER TABLE episodes ADD COLUMN answer TEXT NULL",
            "ALTER TABLE episodes ADD COLUMN grade_json TEXT NULL",
            "ALTER TABLE episodes ADD COLUMN final_reward REAL NULL",
            "ALTER TABLE episodes ADD COLUMN abandon_reason TEXT NULL",
            // The browser's filters and sorts; each starts with the filtered column and ends
            // with started_at, so a filtered page in the default order is an index walk.
            "CREATE INDEX ix_episodes_suite ON episodes (suite, task_id, tier, started_at)",
            "CREATE INDEX ix_episodes_scenario ON episodes (scenario_id, started_at)",
            "CREATE INDEX ix_episodes_outcome ON episodes (outcome, started_at)",
            "CREATE INDEX ix_episodes_client_kind ON episodes (client_kind, started_at)",
            "CREATE INDEX ix_episodes_score ON episodes (score)",
            "CREATE INDEX ix_episodes_step_count ON episodes (step_count)",
            // One row per fault kind that fired at least once in an episode: filtering by kind
            // is an index lookup, which a delimited string column could only do by scanning.
            """
            CREATE TABLE episode_faults (
                episode_id TEXT NOT NULL REFERENCES episodes (id) ON DELETE CASCADE,
                kind       TEXT NOT NULL,
                PRIMARY KEY (episode_id, kind)
            ) WITHOUT ROWID
            """,
            "CREATE INDEX ix_episode_faults_kind ON episode_faults (kind, episode_id)",
            """
            CREATE TABLE steps (
                episode_id             TEXT    NOT NULL REFERENCES episodes (id) ON DELETE CASCADE,
                step_index             INTEGER NOT NULL,
                action_json            TEXT    NULL,
                observation_json       TEXT    NOT NULL,
                clean_result           TEXT    NULL,
                delivered_result       TEXT    NULL,
                faults_json            TEXT    NOT NULL,
                reward_components_json TEXT    NOT NULL,
                reward                 REAL    NOT NULL,
                done                   INTEGER NOT NULL,
                episode_time           INTEGER NOT NULL,
                wall_time_us           INTEGER NOT NULL,
                error                  TEXT    NULL,
                PRIMARY KEY (episode_id, step_index)
            )
            """,
        ]),
        new(3, "episode query indexes: covering indexes for keyset-friendly pages and the leaderboard",
        [
            // Every page is read as "the ids of the page, in order" first (a walk over one of
            // these indexes, which end with started_at DESC and id: the order's tie-breakers),
            // then the rows for those ids. Carrying id makes the walk and the count covering, so
            // skipped rows are never read from the table, whose rows are wide (question, answer,
            // grade). SQLite finishes any remaining tie order with a cheap partial sort.
            "DROP INDEX ix_episodes_started_at",
            "CREATE INDEX ix_episodes_started_at ON episodes (started_at DESC, id)",
            "CREATE INDEX ix_episodes_agent_started_at ON episodes (agent, started_at DESC, id)",
            "CREATE INDEX ix_episodes_agent_score ON episodes (agent, score, started_at DESC, id)",
            "CREATE INDEX ix_episodes_suite_started_at ON episodes (suite, started_at DESC, id)",
            "DROP INDEX ix_episodes_score",
            "CREATE INDEX ix_episodes_score ON episodes (score, started_at DESC, id)",
            "DROP INDEX ix_episodes_step_count",
            "CREATE INDEX ix_episodes_step_count ON episodes (step_count, started_at DESC, id)",
            // The leaderboard groups by agent, suite, task and tier; with the aggregated columns
            // in the index the GROUP BY never touches the table.
            "DROP INDEX ix_episodes_agent",
            "CREATE INDEX ix_episodes_leaderboard ON episodes (agent, suite, task_id, tier, outcome, score, ended_at, started_at)",
        ]),
        new(4, "practice and sealed episodes: the leaderboard ranks sealed ones; running episodes found at start-up",
        [
            // Every episode recorded before modes existed was played on a client-visible seed.
            "ALTER TABLE episodes ADD COLUMN mode TEXT NOT NULL DEFAULT 'practice'",
            "DROP INDEX ix_episodes_leaderboard",
            "CREATE INDEX ix_episodes_leaderboard ON episodes (mode, agent, suite, task_id, tier, outcome, score, ended_at, started_at)",
            // Start-up marks episodes a crash left running as abandoned; this keeps that a lookup.
            "CREATE INDEX ix_episodes_running ON episodes (id) WHERE ended_at IS NULL",
        ]),
        new(5, "authored scenarios: immutable versioned documents",
        [
            // id + version is the key; ids compare without case, like reset's scenario_id.
            """
            CREATE TABLE scenarios (
                id            TEXT    NOT NULL COLLATE NOCASE,
                version       INTEGER NOT NULL,
                suite         TEXT    NOT NULL,
                task_id       TEXT    NOT NULL,
                tier          TEXT    NOT NULL,
                family        TEXT    NOT NULL,
                title         TEXT    NOT NULL,
                document_json TEXT    NOT NULL,
                created_at    INTEGER NOT NULL,
                PRIMARY KEY (id, version)
            ) WITHOUT ROWID
            """,
            // A recorded episode names (id, version): a version that changed after the fact
            // would make its record lie, so a change is a new row and rows are never rewritten.
            """
            CREATE TRIGGER scenarios_immutable BEFORE UPDATE ON scenarios
            BEGIN
                SELECT RAISE(ABORT, 'scenario versions are immutable: add a new version');
            END
            """,
            "CREATE INDEX ix_scenarios_suite ON scenarios (suite, task_id, tier)",
        ]),
        new(6, "curricula: named training runs whose tier follows their rolling success",
        [
            """
            CREATE TABLE curricula (
                name         TEXT    NOT NULL PRIMARY KEY,
                suite        TEXT    NOT NULL,
                rules_json   TEXT    NOT NULL,
                current_tier TEXT    NOT NULL,
                created_at   INTEGER NOT NULL,
                updated_at   INTEGER NOT NULL
            )
            """,
            // One row per episode a curriculum chose the tier of. No foreign key to episodes: the
            // decision is made at reset and written at once, while the recorder stores the
            // episode moments later on its own connection. Outcomes are read through a join, so
            // the rolling success is derived from the episodes themselves, never copied.
            """
            CREATE TABLE curriculum_episodes (
                episode_id       TEXT    NOT NULL PRIMARY KEY,
                curriculum       TEXT    NOT NULL REFERENCES curricula (name) ON DELETE CASCADE,
                sequence         INTEGER NOT NULL,
                tier             TEXT    NOT NULL,
                advanced         INTEGER NOT NULL,
                window_episodes  INTEGER NOT NULL,
                window_successes INTEGER NOT NULL,
                reason           TEXT    NOT NULL,
                decided_at       INTEGER NOT NULL,
                UNIQUE (curriculum, sequence)
            )
            """,
        ]),
        new(7, "success as the suite's rule: stored with each graded episode instead of inferred from an outcome name",
        [
            "ALTER TABLE episodes ADD COLUMN success INTEGER NULL",
            // Every episode graded so far is the tools suite's, whose success is the outcome "correct".
            "UPDATE episodes SET success = (outcome = 'correct') WHERE outcome IS NOT NULL AND outcome <> 'abandoned' AND score IS NOT NULL",
            "DROP INDEX ix_episodes_leaderboard",
            "CREATE INDEX ix_episodes_leaderboard ON episodes (mode, agent, suite, task_id, tier, outcome, score, success, ended_at, started_at)",
        ]),
        new(8, "suite-neutral records: prompt and submission columns, grades as criteria",
        [
            // No index, trigger or view names these columns; the text search reads them directly.
            "ALTER TABLE episodes RENAME COLUMN question TO prompt",
            "ALTER TABLE episodes RENAME COLUMN answer TO submission",
            // Grades stored so far list answer slots ({"slot", "expected", "extracted", ...});
            // each becomes a criterion ({"name", "expected", "observed", ...}). Only the renamed
            // keys are touched (weight and credit keep their stored number text) and the list
            // keeps its order. A grade with no "slots" array (already rewritten, or never had
            // one) is left alone, so running the rewrite again changes nothing.
            """
            UPDATE episodes
            SET grade_json = json_set(json_remove(grade_json, '$.slots'), '$.criteria', json((
                SELECT json_group_array(json_set(json_remove(slot.value, '$.slot', '$.extracted'),
                                                 '$.name', json_extract(slot.value, '$.slot'),
                                                 '$.observed', json_extract(slot.value, '$.extracted')))
                FROM (SELECT value FROM json_each(episodes.grade_json, '$.slots') ORDER BY key) AS slot)))
            WHERE json_type(grade_json, '$.slots') = 'array'
            """,
        ]),
        new(9, "compact steps: one compressed body per step, reset fragments (the tool list) stored once",
        [
            // Large members of reset observations (a suite's tool list, its instructions) are the
            // same in thousands of episodes: stored once, named by their hash. Fragments are never
            // pruned; there are a few per suite version and task.
            """
            CREATE TABLE step_fragments (
                hash TEXT NOT NULL PRIMARY KEY,
                text TEXT NOT NULL
            ) WITHOUT ROWID
            """,
            // action, observation, clean and delivered result, fault decisions, reward components
            // and error of a step, compressed together (StepBody): the text columns were 95% of the
            // file. fired_faults keeps the analytics' "which fault fired at which step" a plain read.
            """
            CREATE TABLE steps_v9 (
                episode_id   TEXT    NOT NULL REFERENCES episodes (id) ON DELETE CASCADE,
                step_index   INTEGER NOT NULL,
                body         BLOB    NOT NULL,
                fired_faults TEXT    NULL,
                reward       REAL    NOT NULL,
                done         INTEGER NOT NULL,
                episode_time INTEGER NOT NULL,
                wall_time_us INTEGER NOT NULL,
                PRIMARY KEY (episode_id, step_index)
            )
            """,
        ], (connection, transaction, cancellationToken) =>
            StepBodyConversion.ConvertAsync((SqliteConnection)connection, (SqliteTransaction)transaction, cancellationToken)),
        new(10, "dictionary compression: step bodies and grades compressed against dictionaries stored once",
        [
            // Zstandard dictionaries (BodyDictionary) that step bodies and grades are compressed
            // against, each named by its id in every body it compressed. Released dictionaries never
            // change: a body depends on every byte of its dictionary.
            """
            CREATE TABLE body_dictionaries (
                id      INTEGER NOT NULL PRIMARY KEY,
                name    TEXT    NOT NULL,
                content BLOB    NOT NULL
            )
            """,
            """
            CREATE TRIGGER body_dictionaries_immutable BEFORE UPDATE ON body_dictionaries
            BEGIN
                SELECT RAISE(ABORT, 'compression dictionaries are immutable: add a new one');
            END
            """,
            """
            CREATE TRIGGER body_dictionaries_kept BEFORE DELETE ON body_dictionaries
            BEGIN
                SELECT RAISE(ABORT, 'compression dictionaries are never deleted: stored bodies need them');
            END
            """,
            // New grades are written here (StoredGrade, about a tenth of their text); grades recorded
            // before stay in grade_json, as do step bodies of format 1 in steps: both stay readable.
            "ALTER TABLE episodes ADD COLUMN grade BLOB NULL",
        ], BodyDictionaryInstallation.Install(BodyDictionaries.StepBodies, BodyDictionaries.Grades)),
        new(11, "dashboard at scale: totals and leaderboard cells kept by triggers, a windowed leaderboard index",
        [
            // What the dashboard shows of the whole store (episode and step counts, the all-time
            // leaderboard) is kept up to date as rows change, so no page counts or groups a
            // million rows. Triggers rather than the recorder: every writer (recorder, retention,
            // start-up abandonment, tests, imports) keeps them right without knowing they exist.
            """
            CREATE TABLE episode_totals (
                mode     TEXT    NOT NULL PRIMARY KEY,
                episodes INTEGER NOT NULL,
                steps    INTEGER NOT NULL
            ) WITHOUT ROWID
            """,
            "INSERT INTO episode_totals (mode, episodes, steps) SELECT mode, COUNT(*), SUM(step_count) FROM episodes GROUP BY mode",
            """
            CREATE TRIGGER episode_totals_insert AFTER INSERT ON episodes
            BEGIN
                INSERT INTO episode_totals (mode, episodes, steps) VALUES (NEW.mode, 1, NEW.step_count)
                ON CONFLICT (mode) DO UPDATE SET episodes = episodes + 1, steps = steps + excluded.steps;
            END
            """,
            """
            CREATE TRIGGER episode_totals_delete AFTER DELETE ON episodes
            BEGIN
                UPDATE episode_totals SET episodes = episodes - 1, steps = steps - OLD.step_count WHERE mode = OLD.mode;
            END
            """,
            // The recorder raises step_count once per step: this is the trigger on that path, one
            // small update of a row that stays in the page cache.
            """
            CREATE TRIGGER episode_totals_update AFTER UPDATE OF mode, step_count ON episodes
            BEGIN
                UPDATE episode_totals SET episodes = episodes - 1, steps = steps - OLD.step_count WHERE mode = OLD.mode;
                INSERT INTO episode_totals (mode, episodes, steps) VALUES (NEW.mode, 1, NEW.step_count)
                ON CONFLICT (mode) DO UPDATE SET episodes = episodes + 1, steps = steps + excluded.steps;
            END
            """,
            // One row per leaderboard cell (mode, agent, suite, task, tier) over graded episodes
            // (an outcome other than abandoned, and a score): sums, so intervals stay exact.
            // last_activity only ever grows: retention prunes the oldest practice episodes, not
            // a cell's newest, and a cell whose last episode goes is deleted.
            """
            CREATE TABLE leaderboard_cells (
                mode             TEXT    NOT NULL,
                agent            TEXT    NOT NULL,
                suite            TEXT    NOT NULL,
                task_id          TEXT    NOT NULL,
                tier             TEXT    NOT NULL,
                episodes         INTEGER NOT NULL,
                successes        INTEGER NOT NULL,
                score_sum        REAL    NOT NULL,
                score_square_sum REAL    NOT NULL,
                last_activity    INTEGER NOT NULL,
                PRIMARY KEY (mode, agent, suite, task_id, tier)
            ) WITHOUT ROWID
            """,
            """
            INSERT INTO leaderboard_cells (mode, agent, suite, task_id, tier, episodes, successes, score_sum, score_square_sum, last_activity)
            SELECT mode, agent, suite, task_id, tier, COUNT(*), SUM(success IS 1), SUM(score), SUM(score * score),
                   COALESCE(MAX(ended_at), MAX(started_at))
            FROM episodes
            WHERE outcome IS NOT NULL AND outcome <> 'abandoned' AND score IS NOT NULL
            GROUP BY mode, agent, suite, task_id, tier
            """,
            LeaderboardCellTrigger("leaderboard_cells_insert", "AFTER INSERT ON episodes", remove: false),
            LeaderboardCellTrigger("leaderboard_cells_delete", "AFTER DELETE ON episodes", remove: true),
            // Grading an episode is one UPDATE of these columns; step updates touch none of them.
            LeaderboardCellTrigger("leaderboard_cells_update_remove", $"AFTER UPDATE OF {LeaderboardColumns} ON episodes", remove: true),
            LeaderboardCellTrigger("leaderboard_cells_update_add", $"AFTER UPDATE OF {LeaderboardColumns} ON episodes", remove: false),
            // A windowed leaderboard ("last 7 days") groups a range of start times: the cells
            // cannot serve it, so this index does, covering every column it aggregates. It
            // replaces the all-time index the cells made unnecessary, and it also serves the
            // mode filter of the episode list in start order.
            "DROP INDEX ix_episodes_leaderboard",
            "CREATE INDEX ix_episodes_leaderboard ON episodes (mode, started_at DESC, agent, suite, task_id, tier, outcome, score, success, ended_at)",
            // The comparison page pairs two agents' graded episodes on the same suite, scenario
            // and seed: both the candidates and the "did the other agent play it" probe are
            // decided in this index, so only paired episodes' rows are read.
            "CREATE INDEX ix_episodes_pairing ON episodes (agent, suite, scenario_id, seed, outcome, score)",
            // An agent's episodes by outcome (the leaderboard's drill-down, "where did it fail"):
            // counted and paged from the index instead of checking the outcome row by row.
            "CREATE INDEX ix_episodes_agent_outcome ON episodes (agent, outcome, started_at DESC, id)",
            // The newest graded episodes (the analytics sample, graded-only lists) are a walk of
            // the start-time index; with outcome and score in it, "graded" is decided there too.
            "DROP INDEX ix_episodes_started_at",
            "CREATE INDEX ix_episodes_started_at ON episodes (started_at DESC, id, outcome, score)",
        ]),
        new(12, "text search from an index: prompt and submission beside the start-time order",
        [
            // A text search (LIKE '%...%', which no b-tree can seek) counts its matches by
            // reading every prompt and submission, and a rare text walks the newest-first order
            // until its page is full: both now read this index (about 230 B per episode) instead
            // of the wide rows. Partial on a condition only the text filter states,
            // so the planner never takes it for another query that walks the start-time order
            // (it costs the same as ix_episodes_started_at to SQLite, but is four times as wide).
            """
            CREATE INDEX ix_episodes_text ON episodes (started_at DESC, id, prompt, submission)
            WHERE prompt IS NOT NULL OR submission IS NOT NULL
            """,
        ]),
        new(13, "scenario studio: drafts, who published each version, episodes and mean score per scenario",
        [
            // One pending draft per id at most, mutable (unlike scenarios): saved even when invalid,
            // its revision counting saves for optimistic concurrency. Ids compare without case, as
            // in scenarios, so a draft cannot sit beside a published id spelled differently.
            """
            CREATE TABLE scenario_drafts (
                id            TEXT    NOT NULL PRIMARY KEY COLLATE NOCASE,
                suite         TEXT    NOT NULL,
                version       INTEGER NOT NULL,
                revision      INTEGER NOT NULL,
                base_version  INTEGER NULL,
                author        TEXT    NULL,
                created_at    INTEGER NOT NULL,
                updated_at    INTEGER NOT NULL,
                document_json TEXT    NOT NULL
            ) WITHOUT ROWID
            """,
            // A version's row is written when it is published (or imported), so created_at is its
            // publication time; only who published it was missing. Versions stored before are
            // anonymous. Adding a column is no UPDATE: the immutability trigger does not fire.
            "ALTER TABLE scenarios ADD COLUMN author TEXT NULL",
            // The studio's list shows each scenario's episodes and mean score: kept by triggers as
            // episode_totals are (schema 11), so listing stays a read of a few hundred rows at a
            // million episodes. scored counts the episodes with a score; their sum makes the mean.
            """
            CREATE TABLE scenario_totals (
                scenario_id TEXT    NOT NULL PRIMARY KEY COLLATE NOCASE,
                episodes    INTEGER NOT NULL,
                scored      INTEGER NOT NULL,
                score_sum   REAL    NOT NULL
            ) WITHOUT ROWID
            """,
            """
            INSERT INTO scenario_totals (scenario_id, episodes, scored, score_sum)
            SELECT scenario_id COLLATE NOCASE, COUNT(*), COUNT(score), COALESCE(SUM(score), 0)
            FROM episodes GROUP BY scenario_id COLLATE NOCASE
            """,
            ScenarioTotalsTrigger("scenario_totals_insert", "AFTER INSERT ON episodes", remove: false),
            ScenarioTotalsTrigger("scenario_totals_delete", "AFTER DELETE ON episodes", remove: true),
            // Grading sets the score once; steps change neither column, so they fire nothing here.
            ScenarioTotalsTrigger("scenario_totals_update_remove", "AFTER UPDATE OF scenario_id, score ON episodes", remove: true),
            ScenarioTotalsTrigger("scenario_totals_update_add", "AFTER UPDATE OF scenario_id, score ON episodes", remove: false),
        ]),
        new(14, "evaluation runs: assignments split into items played once each, and the agent's side of every episode",
        [
            // A run is one assignment with one set of harness switches; an ablation is several runs
            // sharing an ablation_id. The assignment is stored as resolved, without header values.
            """
            CREATE TABLE eval_runs (
                id              TEXT    NOT NULL PRIMARY KEY,
                name            TEXT    NOT NULL,
                agent           TEXT    NOT NULL,
                model           TEXT    NULL,
                harness         TEXT    NOT NULL,
                assignment_json TEXT    NOT NULL,
                ablation_id     TEXT    NULL,
                variant         TEXT    NULL,
                origin          TEXT    NOT NULL,
                status          TEXT    NOT NULL,
                created_at      INTEGER NOT NULL,
                started_at      INTEGER NULL,
                ended_at        INTEGER NULL,
                error           TEXT    NULL
            )
            """,
            "CREATE INDEX ix_eval_runs_created_at ON eval_runs (created_at)",
            "CREATE INDEX ix_eval_runs_ablation ON eval_runs (ablation_id, created_at)",
            // One row per (scenario, seed index, trial) of a run. An item moves pending -> running
            // -> done | error exactly once per attempt, each move guarded by the status and episode
            // it expects, so a result is never counted twice; at start-up, running items of a
            // stopped process go back to pending and are played again on a fresh sealed episode.
            """
            CREATE TABLE eval_run_items (
                run_id        TEXT    NOT NULL REFERENCES eval_runs (id) ON DELETE CASCADE,
                item_key      TEXT    NOT NULL,
                sequence      INTEGER NOT NULL,
                suite         TEXT    NOT NULL,
                task_id       TEXT    NOT NULL,
                tier          TEXT    NOT NULL,
                scenario_id   TEXT    NOT NULL,
                seed_index    INTEGER NOT NULL,
                trial         INTEGER NOT NULL,
                status        TEXT    NOT NULL,
                attempts      INTEGER NOT NULL,
                episode_id    TEXT    NULL,
                outcome       TEXT    NULL,
                score         REAL    NULL,
                success       INTEGER NULL,
                steps         INTEGER NULL,
                interventions_json TEXT NULL,
                error         TEXT    NULL,
                started_at    INTEGER NULL,
                ended_at      INTEGER NULL,
                PRIMARY KEY (run_id, item_key)
            ) WITHOUT ROWID
            """,
            "CREATE INDEX ix_eval_run_items_status ON eval_run_items (run_id, status, sequence)",
            "CREATE INDEX ix_eval_run_items_episode ON eval_run_items (episode_id)",
            // Written once the episode is over, so nothing of a running sealed episode is in it. No
            // foreign key: the recorder writes the episode row on its own connection, moments
            // later; a trigger removes the trace with its episode (retention).
            """
            CREATE TABLE agent_traces (
                episode_id TEXT    NOT NULL PRIMARY KEY,
                run_id     TEXT    NULL,
                trace_json TEXT    NOT NULL,
                created_at INTEGER NOT NULL
            ) WITHOUT ROWID
            """,
            """
            CREATE TRIGGER agent_traces_follow_episodes AFTER DELETE ON episodes
            BEGIN
                DELETE FROM agent_traces WHERE episode_id = OLD.id;
            END
            """,
        ]),
        new(15, "evaluation work shared by replicas: item leases and each run's concurrency in the store",
        [
            // Every replica with free slots claims items; a run's concurrency holds across all of
            // them, so it is stored beside the run (the assignment's, capped by the creating
            // server's MaxConcurrency; earlier runs keep the assignment's own).
            "ALTER TABLE eval_runs ADD COLUMN concurrency INTEGER NOT NULL DEFAULT 1",
            "UPDATE eval_runs SET concurrency = MAX(1, MIN(64, COALESCE(json_extract(assignment_json, '$.concurrency'), 1)))",
            // A running item is leased to the replica playing it until lease_expires_at (ms); the
            // replica renews the lease while it plays, and another takes the item over once it has
            // expired. Items left running by v14 have no lease: they count as expired.
            "ALTER TABLE eval_run_items ADD COLUMN lease_owner TEXT NULL",
            "ALTER TABLE eval_run_items ADD COLUMN lease_expires_at INTEGER NULL",
            // Renewal and recovery find a replica's items; claims use ix_eval_run_items_status.
            "CREATE INDEX ix_eval_run_items_lease ON eval_run_items (lease_owner) WHERE lease_owner IS NOT NULL",
        ]),
        new(16, "replicas: which replica plays each episode, and each replica's heartbeat",
        [
            // The replica that recorded a running episode; only it can continue the episode (its
            // session is in that process's memory). Null for episodes recorded before.
            "ALTER TABLE episodes ADD COLUMN replica TEXT NULL",
            "CREATE INDEX ix_episodes_running_replica ON episodes (replica) WHERE ended_at IS NULL",
            // A replica that has not beaten for a while is gone: the others end its episodes.
            """
            CREATE TABLE replicas (
                id           TEXT    NOT NULL PRIMARY KEY,
                last_seen_at INTEGER NOT NULL
            ) WITHOUT ROWID
            """,
        ]),
        new(17, "secrets shared by replicas: named server secrets (the seal key) and the data-protection key ring",
        [
            // One row per secret, created by whichever replica needs it first (INSERT ... ON CONFLICT
            // DO NOTHING, then read back) and the same for all of them from then on.
            """
            CREATE TABLE store_secrets (
                name       TEXT    NOT NULL PRIMARY KEY,
                value      TEXT    NOT NULL,
                created_at INTEGER NOT NULL
            ) WITHOUT ROWID
            """,
            // ASP.NET Core's DataProtectionKey rows, as PersistKeysToDbContext writes them: the key
            // ring behind antiforgery tokens and the dashboard's cookies, whichever replica serves.
            """
            CREATE TABLE data_protection_keys (
                id            INTEGER NOT NULL PRIMARY KEY,
                friendly_name TEXT    NULL,
                xml           TEXT    NULL
            )
            """,
        ]),
    ];

    public static int CurrentVersion => Upgrades[^1].Version;

    /// <summary>The columns that decide an episode's leaderboard cell and what it adds to it.</summary>
    private const string LeaderboardColumns = "mode, agent, suite, task_id, tier, outcome, score, success, started_at, ended_at";

    /// <summary>
    /// A trigger adding the NEW row of an episode to its scenario's totals, or removing the OLD one
    /// (and the scenario's row with it once no episode is left).
    /// </summary>
    private static string ScenarioTotalsTrigger(string name, string when, bool remove)
    {
        var body = remove
            ? """
                UPDATE scenario_totals
                SET episodes = episodes - 1, scored = scored - (OLD.score IS NOT NULL), score_sum = score_sum - COALESCE(OLD.score, 0)
                WHERE scenario_id = OLD.scenario_id;
                DELETE FROM scenario_totals WHERE scenario_id = OLD.scenario_id AND episodes <= 0;
            """
            : """
                INSERT INTO scenario_totals (scenario_id, episodes, scored, score_sum)
                VALUES (NEW.scenario_id, 1, NEW.score IS NOT NULL, COALESCE(NEW.score, 0))
                ON CONFLICT (scenario_id) DO UPDATE SET
                    episodes = episodes + 1, scored = scored + excluded.scored, score_sum = score_sum + excluded.score_sum;
            """;
        return $"""
            CREATE TRIGGER {name} {when}
            BEGIN
            {body}
            END
            """;
    }

    /// <summary>
    /// A trigger adding the NEW row of a graded episode to its leaderboard cell, or removing the
    /// OLD one (and the cell with it once empty).
    /// </summary>
    private static string LeaderboardCellTrigger(string name, string when, bool remove)
    {
        var row = remove ? "OLD" : "NEW";
        var body = remove
            ? $"""
                UPDATE leaderboard_cells
                SET episodes = episodes - 1, successes = successes - ({row}.success IS 1),
                    score_sum = score_sum - {row}.score, score_square_sum = score_square_sum - {row}.score * {row}.score
                WHERE mode = {row}.mode AND agent = {row}.agent AND suite = {row}.suite AND task_id = {row}.task_id AND tier = {row}.tier;
                DELETE FROM leaderboard_cells
                WHERE mode = {row}.mode AND agent = {row}.agent AND suite = {row}.suite AND task_id = {row}.task_id AND tier = {row}.tier
                  AND episodes <= 0;
            """
            : $"""
                INSERT INTO leaderboard_cells (mode, agent, suite, task_id, tier, episodes, successes, score_sum, score_square_sum, last_activity)
                VALUES ({row}.mode, {row}.agent, {row}.suite, {row}.task_id, {row}.tier, 1, {row}.success IS 1, {row}.score,
                        {row}.score * {row}.score, COALESCE({row}.ended_at, {row}.started_at))
                ON CONFLICT (mode, agent, suite, task_id, tier) DO UPDATE SET
                    episodes = episodes + 1, successes = successes + excluded.successes, score_sum = score_sum + excluded.score_sum,
                    score_square_sum = score_square_sum + excluded.score_square_sum, last_activity = max(last_activity, excluded.last_activity);
            """;
        return $"""
            CREATE TRIGGER {name} {when}
            WHEN {row}.outcome IS NOT NULL AND {row}.outcome <> '{EpisodeStore.AbandonedOutcome}' AND {row}.score IS NOT NULL
            BEGIN
            {body}
            END
            """;
    }
}
