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
    ];

    public static int CurrentVersion => Upgrades[^1].Version;
}
