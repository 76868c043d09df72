using ChaosLab.Core.Persistence;

namespace ChaosLab.Web.Model;

/// <summary>
/// Two episodes step by step, side by side (Compare's "open both"): what each agent did at each
/// step index, which faults hit it, and where the two runs part ways.
/// </summary>
public sealed class EpisodePairViewModel(EpisodeStore store)
{
    public LoadState State { get; private set; } = LoadState.Loading;

    public string? Error { get; private set; }

    public EpisodeSummary? Left { get; private set; }

    public EpisodeSummary? Right { get; private set; }

    /// <summary>One row per step index present in either episode.</summary>
    public IReadOnlyList<StepPair> Rows { get; private set; } = [];

    /// <summary>The first step index at which the two agents did different things, or null.</summary>
    public int? FirstDivergence { get; private set; }

    public async Task LoadAsync(string? leftId, string? rightId, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(leftId) || string.IsNullOrWhiteSpace(rightId))
        {
            (State, Error) = (LoadState.Empty, null);
            return;
        }

        try
        {
            var left = await store.GetTrajectoryAsync(leftId, cancellationToken);
            var right = await store.GetTrajectoryAsync(rightId, cancellationToken);
            if (left is null || right is null)
            {
                (State, Error) = (LoadState.Failed, $"No recorded episode '{(left is null ? leftId : rightId)}'.");
                return;
            }

            (Left, Right) = (left.Episode, right.Episode);
            Rows = Pair([.. left.Steps.Select(ReplayStep.From)], [.. right.Steps.Select(ReplayStep.From)]);
            FirstDivergence = Rows.FirstOrDefault(r => r.Differs)?.Index;
            (State, Error) = (LoadState.Ready, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            (State, Error) = (LoadState.Failed, $"The episodes could not be read: {ex.Message}");
        }
    }

    internal static IReadOnlyList<StepPair> Pair(IReadOnlyList<ReplayStep> left, IReadOnlyList<ReplayStep> right) =>
        [.. Enumerable.Range(0, Math.Max(left.Count, right.Count))
            .Select(i => new StepPair(i, i < left.Count ? left[i] : null, i < right.Count ? right[i] : null))];
}

/// <summary>Both episodes' step at one index; either side is null past the end of its episode.</summary>
public sealed record StepPair(int Index, ReplayStep? Left, ReplayStep? Right)
{
    /// <summary>The agents acted differently here: another action, arguments or outcome of the call.</summary>
    public bool Differs => Left?.Label != Right?.Label || Left?.Arguments != Right?.Arguments || Left?.Status != Right?.Status;
}
