using ChaosLab.Core.Persistence.Storage;

namespace ChaosLab.Core.Persistence.Schema.Postgres;

/// <summary>
/// The PostgreSQL store's schema steps, in step with <see cref="SchemaHistory"/>: the same version
/// numbers and descriptions, so a version means the same tables on both engines. There were never
/// PostgreSQL stores before version 14, so its history starts with one baseline step that creates
/// what SQLite's steps 1-14 build; every later version is added to both histories.
/// </summary>
/// <remarks>
/// Column types follow the model's CLR types (int is <c>integer</c>, long and every Unix-millisecond
/// time <c>bigint</c>, bool <c>boolean</c>, byte[] <c>bytea</c>); the counters that sum many episodes
/// are <c>bigint</c>. Text that is sorted or compared is <c>COLLATE "C"</c>, SQLite's byte order,
/// whatever the database's default. Scenario ids compare without case, as SQLite's NOCASE does, through
/// a nondeterministic ICU collation: equality and keys ignore case, while EF's plain <c>id = @id</c>
/// comparisons stay as they are (a parameter yields to the column's collation).
/// </remarks>
public static class PostgresSchemaHistory
{
    /// <summary>Byte order, as SQLite compares and sorts text.</summary>
    private const string Text = "text COLLATE \"C\"";

    /// <summary>Ids that compare without case (SQLite's NOCASE). Not usable with LIKE.</summary>
    private const string CaselessText = "text COLLATE chaoslab_nocase";

    public static IReadOnlyList<SchemaUpgrade> Upgrades { get; } =
    [
        new(14, "evaluation runs: assignments split into items played once each, and the agent's side of every episode",
        [
            "CREATE COLLATION chaoslab_nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false)",
            // A statement raising the message it is given: the immutability triggers of SQLite's
            // RAISE(ABORT, ...), with the message as the trigger's argument.
            """
            CREATE FUNCTION chaoslab_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation';
            END
            $$
            """,
            $"""
            CREATE TABLE episodes (
                id               {Text}           NOT NULL PRIMARY KEY,
                suite            {Text}           NOT NULL,
                task_id          {Text}           NOT NULL,
                tier             {Text}           NOT NULL,
                scenario_id      {Text}           NOT NULL,
                seed             bigint           NOT NULL,
                agent            {Text}           NOT NULL,
                client_kind      {Text}           NOT NULL,
                started_at       bigint           NOT NULL,
                ended_at         bigint           NULL,
                outcome          {Text}           NULL,
                score            double precision NULL,
                scenario_version integer          NOT NULL DEFAULT 0,
                max_steps        integer          NOT NULL DEFAULT 0,
                step_count       integer          NOT NULL DEFAULT 0,
                prompt           {Text}           NULL,
                submission       {Text}           NULL,
                grade_json       text             NULL,
                final_reward     double precision NULL,
                abandon_reason   text             NULL,
                mode             {Text}           NOT NULL DEFAULT 'practice',
                success          boolean          NULL,
                grade            bytea            NULL
            )
            """,
            // The same indexes as SQLite's, for the same queries (see SchemaHistory). A nullable
            // column the browser sorts by is indexed NULLS FIRST: the store sorts NULLs first, as
            // SQLite does. No counterpart of ix_episodes_text: PostgreSQL's b-tree entries are
            // limited to about 2.7 kB, which a long prompt exceeds; text search reads the rows.
            "CREATE INDEX ix_episodes_suite ON episodes (suite, task_id, tier, started_at)",
            "CREATE INDEX ix_episodes_scenario ON episodes (scenario_id, started_at)",
            "CREATE INDEX ix_episodes_outcome ON episodes (outcome, started_at)",
            "CREATE INDEX ix_episodes_client_kind ON episodes (client_kind, started_at)",
            "CREATE INDEX ix_episodes_agent_started_at ON episodes (agent, started_at DESC, id)",
            "CREATE INDEX ix_episodes_agent_score ON episodes (agent, score NULLS FIRST, started_at DESC, id)",
            "CREATE INDEX ix_episodes_suite_started_at ON episodes (suite, started_at DESC, id)",
            "CREATE INDEX ix_episodes_score ON episodes (score NULLS FIRST, started_at DESC, id)",
            "CREATE INDEX ix_episodes_step_count ON episodes (step_count, started_at DESC, id)",
            "CREATE INDEX ix_episodes_running ON episodes (id) WHERE ended_at IS NULL",
            "CREATE INDEX ix_episodes_leaderboard ON episodes (mode, started_at DESC, agent, suite, task_id, tier, outcome, score, success, ended_at)",
            "CREATE INDEX ix_episodes_pairing ON episodes (agent, suite, scenario_id, seed, outcome, score)",
            "CREATE INDEX ix_episodes_agent_outcome ON episodes (agent, outcome, started_at DESC, id)",
            "CREATE INDEX ix_episodes_started_at ON episodes (started_at DESC, id, outcome, score)",
            $"""
            CREATE TABLE episode_faults (
                episode_id {Text} NOT NULL REFERENCES episodes (id) ON DELETE CASCADE,
                kind       {Text} NOT NULL,
                PRIMARY KEY (episode_id, kind)
            )
            """,
            "CREATE INDEX ix_episode_faults_kind ON episode_faults (kind, episode_id)",
            $"""
            CREATE TABLE step_fragments (
                hash {Text} NOT NULL PRIMARY KEY,
                text text   NOT NULL
            )
            """,
            $"""
            CREATE TABLE steps (
                episode_id   {Text}           NOT NULL REFERENCES episodes (id) ON DELETE CASCADE,
                step_index   integer          NOT NULL,
                body         bytea            NOT NULL,
                fired_faults text             NULL,
                reward       double precision NOT NULL,
                done         boolean          NOT NULL,
                episode_time bigint           NOT NULL,
                wall_time_us bigint           NOT NULL,
                PRIMARY KEY (episode_id, step_index)
            )
            """,
            $"""
            CREATE TABLE body_dictionaries (
                id      integer NOT NULL PRIMARY KEY,
                name    {Text}  NOT NULL,
                content bytea   NOT NULL
            )
            """,
            """
            CREATE TRIGGER body_dictionaries_immutable BEFORE UPDATE ON body_dictionaries
            FOR EACH ROW EXECUTE FUNCTION chaoslab_refuse('compression dictionaries are immutable: add a new one')
            """,
            """
            CREATE TRIGGER body_dictionaries_kept BEFORE DELETE ON body_dictionaries
            FOR EACH ROW EXECUTE FUNCTION chaoslab_refuse('compression dictionaries are never deleted: stored bodies need them')
            """,
            $"""
            CREATE TABLE scenarios (
                id            {CaselessText} NOT NULL,
                version       integer NOT NULL,
                suite         {Text}  NOT NULL,
                task_id       {Text}  NOT NULL,
                tier          {Text}  NOT NULL,
                family        {Text}  NOT NULL,
                title         text    NOT NULL,
                document_json text    NOT NULL,
                created_at    bigint  NOT NULL,
                author        {Text}  NULL,
                PRIMARY KEY (id, version)
            )
            """,
            """
            CREATE TRIGGER scenarios_immutable BEFORE UPDATE ON scenarios
            FOR EACH ROW EXECUTE FUNCTION chaoslab_refuse('scenario versions are immutable: add a new version')
            """,
            "CREATE INDEX ix_scenarios_suite ON scenarios (suite, task_id, tier)",
            $"""
            CREATE TABLE scenario_drafts (
                id            {CaselessText} NOT NULL PRIMARY KEY,
                suite         {Text}  NOT NULL,
                version       integer NOT NULL,
                revision      integer NOT NULL,
                base_version  integer NULL,
                author        {Text}  NULL,
                created_at    bigint  NOT NULL,
                updated_at    bigint  NOT NULL,
                document_json text    NOT NULL
            )
            """,
            $"""
            CREATE TABLE curricula (
                name         {Text} NOT NULL PRIMARY KEY,
                suite        {Text} NOT NULL,
                rules_json   text   NOT NULL,
                current_tier {Text} NOT NULL,
                created_at   bigint NOT NULL,
                updated_at   bigint NOT NULL
            )
            """,
            $"""
            CREATE TABLE curriculum_episodes (
                episode_id       {Text}  NOT NULL PRIMARY KEY,
                curriculum       {Text}  NOT NULL REFERENCES curricula (name) ON DELETE CASCADE,
                sequence         integer NOT NULL,
                tier             {Text}  NOT NULL,
                advanced         boolean NOT NULL,
                window_episodes  integer NOT NULL,
                window_successes integer NOT NULL,
                reason           text    NOT NULL,
                decided_at       bigint  NOT NULL,
                UNIQUE (curriculum, sequence)
            )
            """,
            // The dashboard's totals, kept by triggers as on SQLite (schema 11 and 13).
            $"""
            CREATE TABLE episode_totals (
                mode     {Text} NOT NULL PRIMARY KEY,
                episodes bigint NOT NULL,
                steps    bigint NOT NULL
            )
            """,
            // A step raises step_count without changing the mode: one update of the mode's row,
            // where SQLite's trigger removes and re-adds the episode (the same sums).
            """
            CREATE FUNCTION episode_totals_follow() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'UPDATE' AND OLD.mode = NEW.mode THEN
                    UPDATE episode_totals SET steps = steps - OLD.step_count + NEW.step_count WHERE mode = NEW.mode;
                    RETURN NULL;
                END IF;
                IF TG_OP IN ('UPDATE', 'DELETE') THEN
                    UPDATE episode_totals SET episodes = episodes - 1, steps = steps - OLD.step_count WHERE mode = OLD.mode;
                END IF;
                IF TG_OP IN ('UPDATE', 'INSERT') THEN
                    INSERT INTO episode_totals AS t (mode, episodes, steps) VALUES (NEW.mode, 1, NEW.step_count)
                    ON CONFLICT (mode) DO UPDATE SET episodes = t.episodes + 1, steps = t.steps + excluded.steps;
                END IF;
                RETURN NULL;
            END
            $$
            """,
            "CREATE TRIGGER episode_totals_insert AFTER INSERT ON episodes FOR EACH ROW EXECUTE FUNCTION episode_totals_follow()",
            "CREATE TRIGGER episode_totals_delete AFTER DELETE ON episodes FOR EACH ROW EXECUTE FUNCTION episode_totals_follow()",
            "CREATE TRIGGER episode_totals_update AFTER UPDATE OF mode, step_count ON episodes FOR EACH ROW EXECUTE FUNCTION episode_totals_follow()",
            $"""
            CREATE TABLE leaderboard_cells (
                mode             {Text}           NOT NULL,
                agent            {Text}           NOT NULL,
                suite            {Text}           NOT NULL,
                task_id          {Text}           NOT NULL,
                tier             {Text}           NOT NULL,
                episodes         bigint           NOT NULL,
                successes        bigint           NOT NULL,
                score_sum        double precision NOT NULL,
                score_square_sum double precision NOT NULL,
                last_activity    bigint           NOT NULL,
                PRIMARY KEY (mode, agent, suite, task_id, tier)
            )
            """,
            """
            CREATE FUNCTION leaderboard_cells_add() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO leaderboard_cells AS c (mode, agent, suite, task_id, tier, episodes, successes, score_sum, score_square_sum, last_activity)
                VALUES (NEW.mode, NEW.agent, NEW.suite, NEW.task_id, NEW.tier, 1, CASE WHEN NEW.success THEN 1 ELSE 0 END, NEW.score,
                        NEW.score * NEW.score, COALESCE(NEW.ended_at, NEW.started_at))
                ON CONFLICT (mode, agent, suite, task_id, tier) DO UPDATE SET
                    episodes = c.episodes + 1, successes = c.successes + excluded.successes, score_sum = c.score_sum + excluded.score_sum,
                    score_square_sum = c.score_square_sum + excluded.score_square_sum, last_activity = GREATEST(c.last_activity, excluded.last_activity);
                RETURN NULL;
            END
            $$
            """,
            """
            CREATE FUNCTION leaderboard_cells_remove() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE leaderboard_cells
                SET episodes = episodes - 1, successes = successes - CASE WHEN OLD.success THEN 1 ELSE 0 END,
                    score_sum = score_sum - OLD.score, score_square_sum = score_square_sum - OLD.score * OLD.score
                WHERE mode = OLD.mode AND agent = OLD.agent AND suite = OLD.suite AND task_id = OLD.task_id AND tier = OLD.tier;
                DELETE FROM leaderboard_cells
                WHERE mode = OLD.mode AND agent = OLD.agent AND suite = OLD.suite AND task_id = OLD.task_id AND tier = OLD.tier
                  AND episodes <= 0;
                RETURN NULL;
            END
            $$
            """,
            LeaderboardCellTrigger("leaderboard_cells_insert", "INSERT", "NEW", "leaderboard_cells_add"),
            LeaderboardCellTrigger("leaderboard_cells_delete", "DELETE", "OLD", "leaderboard_cells_remove"),
            // PostgreSQL runs the triggers of one event in name order, so "add" before "remove" as
            // SQLite runs these two (the later created first).
            LeaderboardCellTrigger("leaderboard_cells_update_remove", $"UPDATE OF {LeaderboardColumns}", "OLD", "leaderboard_cells_remove"),
            LeaderboardCellTrigger("leaderboard_cells_update_add", $"UPDATE OF {LeaderboardColumns}", "NEW", "leaderboard_cells_add"),
            $"""
            CREATE TABLE scenario_totals (
                scenario_id {CaselessText}   NOT NULL PRIMARY KEY,
                episodes    bigint           NOT NULL,
                scored      bigint           NOT NULL,
                score_sum   double precision NOT NULL
            )
            """,
            """
            CREATE FUNCTION scenario_totals_add() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO scenario_totals AS t (scenario_id, episodes, scored, score_sum)
                VALUES (NEW.scenario_id, 1, CASE WHEN NEW.score IS NOT NULL THEN 1 ELSE 0 END, COALESCE(NEW.score, 0))
                ON CONFLICT (scenario_id) DO UPDATE SET
                    episodes = t.episodes + 1, scored = t.scored + excluded.scored, score_sum = t.score_sum + excluded.score_sum;
                RETURN NULL;
            END
            $$
            """,
            """
            CREATE FUNCTION scenario_totals_remove() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE scenario_totals
                SET episodes = episodes - 1, scored = scored - CASE WHEN OLD.score IS NOT NULL THEN 1 ELSE 0 END,
                    score_sum = score_sum - COALESCE(OLD.score, 0)
                WHERE scenario_id = OLD.scenario_id COLLATE chaoslab_nocase;
                DELETE FROM scenario_totals WHERE scenario_id = OLD.scenario_id COLLATE chaoslab_nocase AND episodes <= 0;
                RETURN NULL;
            END
            $$
            """,
            "CREATE TRIGGER scenario_totals_insert AFTER INSERT ON episodes FOR EACH ROW EXECUTE FUNCTION scenario_totals_add()",
            "CREATE TRIGGER scenario_totals_delete AFTER DELETE ON episodes FOR EACH ROW EXECUTE FUNCTION scenario_totals_remove()",
            "CREATE TRIGGER scenario_totals_update_remove AFTER UPDATE OF scenario_id, score ON episodes FOR EACH ROW EXECUTE FUNCTION scenario_totals_remove()",
            "CREATE TRIGGER scenario_totals_update_add AFTER UPDATE OF scenario_id, score ON episodes FOR EACH ROW EXECUTE FUNCTION scenario_totals_add()",
            $"""
            CREATE TABLE eval_runs (
                id              {Text} NOT NULL PRIMARY KEY,
                name            {Text} NOT NULL,
                agent           {Text} NOT NULL,
                model           {Text} NULL,
                harness         {Text} NOT NULL,
                assignment_json text   NOT NULL,
                ablation_id     {Text} NULL,
                variant         {Text} NULL,
                origin          {Text} NOT NULL,
                status          {Text} NOT NULL,
                created_at      bigint NOT NULL,
                started_at      bigint NULL,
                ended_at        bigint NULL,
                error           text   NULL
            )
            """,
            "CREATE INDEX ix_eval_runs_created_at ON eval_runs (created_at)",
            "CREATE INDEX ix_eval_runs_ablation ON eval_runs (ablation_id, created_at)",
            $"""
            CREATE TABLE eval_run_items (
                run_id             {Text}           NOT NULL REFERENCES eval_runs (id) ON DELETE CASCADE,
                item_key           {Text}           NOT NULL,
                sequence           integer          NOT NULL,
                suite              {Text}           NOT NULL,
                task_id            {Text}           NOT NULL,
                tier               {Text}           NOT NULL,
                scenario_id        {Text}           NOT NULL,
                seed_index         integer          NOT NULL,
                trial              integer          NOT NULL,
                status             {Text}           NOT NULL,
                attempts           integer          NOT NULL,
                episode_id         {Text}           NULL,
                outcome            {Text}           NULL,
                score              double precision NULL,
                success            boolean          NULL,
                steps              integer          NULL,
                interventions_json text             NULL,
                error              text             NULL,
                started_at         bigint           NULL,
                ended_at           bigint           NULL,
                PRIMARY KEY (run_id, item_key)
            )
            """,
            "CREATE INDEX ix_eval_run_items_status ON eval_run_items (run_id, status, sequence)",
            "CREATE INDEX ix_eval_run_items_episode ON eval_run_items (episode_id)",
            $"""
            CREATE TABLE agent_traces (
                episode_id {Text} NOT NULL PRIMARY KEY,
                run_id     {Text} NULL,
                trace_json text   NOT NULL,
                created_at bigint NOT NULL
            )
            """,
            """
            CREATE FUNCTION agent_traces_follow_episodes() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                DELETE FROM agent_traces WHERE episode_id = OLD.id;
                RETURN NULL;
            END
            $$
            """,
            "CREATE TRIGGER agent_traces_follow_episodes AFTER DELETE ON episodes FOR EACH ROW EXECUTE FUNCTION agent_traces_follow_episodes()",
        ], BodyDictionaryInstallation.Install(BodyDictionaries.StepBodies, BodyDictionaries.Grades)),
        new(15, "evaluation work shared by replicas: item leases and each run's concurrency in the store",
        [
            // As SchemaHistory's step 15: a run's concurrency holds over every replica; a running
            // item is leased to its replica until lease_expires_at (ms), and taken over after it.
            "ALTER TABLE eval_runs ADD COLUMN concurrency integer NOT NULL DEFAULT 1",
            "UPDATE eval_runs SET concurrency = GREATEST(1, LEAST(64, COALESCE((assignment_json::jsonb ->> 'concurrency')::integer, 1)))",
            $"ALTER TABLE eval_run_items ADD COLUMN lease_owner {Text} NULL",
            "ALTER TABLE eval_run_items ADD COLUMN lease_expires_at bigint NULL",
            "CREATE INDEX ix_eval_run_items_lease ON eval_run_items (lease_owner) WHERE lease_owner IS NOT NULL",
        ]),
        new(16, "replicas: which replica plays each episode, and each replica's heartbeat",
        [
            // As SchemaHistory's step 16.
            $"ALTER TABLE episodes ADD COLUMN replica {Text} NULL",
            "CREATE INDEX ix_episodes_running_replica ON episodes (replica) WHERE ended_at IS NULL",
            $"""
            CREATE TABLE replicas (
                id           {Text} NOT NULL PRIMARY KEY,
                last_seen_at bigint NOT NULL
            )
            """,
        ]),
        new(17, "secrets shared by replicas: named server secrets (the seal key) and the data-protection key ring",
        [
            // As SchemaHistory's step 17.
            $"""
            CREATE TABLE store_secrets (
                name       {Text} NOT NULL PRIMARY KEY,
                value      text   NOT NULL,
                created_at bigint NOT NULL
            )
            """,
            """
            CREATE TABLE data_protection_keys (
                id            integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                friendly_name text    NULL,
                xml           text    NULL
            )
            """,
        ]),
    ];

    public static int CurrentVersion => Upgrades[^1].Version;

    /// <summary>The columns that decide an episode's leaderboard cell and what it adds to it (as SchemaHistory's).</summary>
    private const string LeaderboardColumns = "mode, agent, suite, task_id, tier, outcome, score, success, started_at, ended_at";

    /// <summary>A trigger running <paramref name="function"/> for an episode <paramref name="row"/> that is graded.</summary>
    private static string LeaderboardCellTrigger(string name, string events, string row, string function) => $"""
        CREATE TRIGGER {name} AFTER {events} ON episodes FOR EACH ROW
        WHEN ({row}.outcome IS NOT NULL AND {row}.outcome <> '{EpisodeStore.AbandonedOutcome}' AND {row}.score IS NOT NULL)
        EXECUTE FUNCTION {function}()
        """;
}
