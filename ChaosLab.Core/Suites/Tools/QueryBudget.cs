using SQLitePCL;

namespace ChaosLab.Core.Suites.Tools;

/// <summary>Which budget stopped an agent's query.</summary>
internal enum QueryLimit
{
    None,
    Steps,
    Memory,
    Time,
}

/// <summary>
/// What one query may spend, checked from SQLite's progress handler. The VM-step budget is the
/// real limit: deterministic, so the same query stops at the same point on every machine. Memory
/// and wall time are safety nets for work SQLite does inside a single step (a built-in function
/// over a large value, a sort), which the step count does not see; legitimate queries stay far
/// below both, so they never make an honest result depend on the host.
/// </summary>
internal sealed class QueryBudget(TimeProvider time)
{
    /// <summary>VM steps between two checks.</summary>
    public const int CheckInterval = 1_000;

    /// <summary>Checks before a query is interrupted: 2,000,000 VM steps.</summary>
    public const int StepBudget = 2_000;

    /// <summary>
    /// Growth of SQLite's heap since the query started. The counter is process-wide, so a
    /// concurrent query elsewhere counts too; that can only stop a query early when another one is
    /// itself allocating this much, which no legitimate query does.
    /// </summary>
    public const long MemoryBudgetBytes = 32L * 1024 * 1024;

    public static readonly TimeSpan WallClockBudget = TimeSpan.FromSeconds(1);

    private int _checks;
    private long _memoryAtStart;
    private DateTimeOffset _deadline;

    public QueryLimit Exceeded { get; private set; }

    public void Start()
    {
        _checks = 0;
        _memoryAtStart = raw.sqlite3_memory_used();
        _deadline = time.GetUtcNow() + WallClockBudget;
        Exceeded = QueryLimit.None;
    }

    /// <summary>True when the query must stop; <see cref="Exceeded"/> says why.</summary>
    public bool Check()
    {
        Exceeded = ++_checks > StepBudget ? QueryLimit.Steps
            : raw.sqlite3_memory_used() - _memoryAtStart > MemoryBudgetBytes ? QueryLimit.Memory
            : time.GetUtcNow() >= _deadline ? QueryLimit.Time
            : QueryLimit.None;
        return Exceeded != QueryLimit.None;
    }
}
