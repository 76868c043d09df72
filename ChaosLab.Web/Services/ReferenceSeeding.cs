using System.ComponentModel.DataAnnotations;

namespace ChaosLab.Web.Services;

/// <summary>
/// First-start data (section <c>ChaosLab:Seeding</c>): with an empty store, the scripted
/// reference agents play every scenario on a few fixed seeds, so a fresh install does not
/// greet anyone with empty tables.
/// </summary>
public sealed class SeedingOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Seeds 1..N are played for every scenario and agent.</summary>
    [Range(1, 100)]
    public int SeedsPerScenario { get; set; } = 2;
}

/// <summary>Where first-start seeding is; the dashboard shows it while it runs.</summary>
public sealed class SeedingProgress
{
    private readonly Lock _gate = new();

    public event Action? Changed;

    public SeedingState State { get; private set; } = SeedingState.Pending;

    public int Done { get; private set; }

    public int Total { get; private set; }

    public string? Message { get; private set; }

    internal void Start(int total) => Update(SeedingState.Running, 0, total, null);

    internal void Advance() => Update(SeedingState.Running, Done + 1, Total, null);

    internal void Finish(SeedingState state, string message) => Update(state, Done, Total, message);

    private void Update(SeedingState state, int done, int total, string? message)
    {
        lock (_gate)
        {
            (State, Done, Total, Message) = (state, done, total, message);
        }

        Changed?.Invoke();
    }
}

public enum SeedingState
{
    Pending,
    Running,
    Completed,
    Skipped,
    Failed,
}
