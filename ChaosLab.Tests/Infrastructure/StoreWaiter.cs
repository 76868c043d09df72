using ChaosLab.Core.Persistence;
using ChaosLab.Core.Recording;

namespace ChaosLab.Tests.Infrastructure;

/// <summary>
/// Waits for an episode in the store to reach a condition, woken by the recorder's feed (which
/// publishes only after rows are durable) instead of polling on a timer.
/// </summary>
public static class StoreWaiter
{
    public static async Task<EpisodeTrajectory> WaitForAsync(
        IEpisodeFeed feed, EpisodeStore store, string episodeId, Func<EpisodeTrajectory, bool> condition, TimeSpan? timeout = null)
    {
        var reached = new TaskCompletionSource<EpisodeTrajectory>(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task CheckAsync()
        {
            if (await store.GetTrajectoryAsync(episodeId) is { } trajectory && condition(trajectory))
            {
                reached.TrySetResult(trajectory);
            }
        }

        // Subscribe first, then look: an event between the two cannot be missed.
        using var subscription = feed.Subscribe(_ => CheckAsync(), episodeId);
        await CheckAsync();
        return await reached.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(20));
    }

    public static Task<EpisodeTrajectory> WaitForStepsAsync(IEpisodeFeed feed, EpisodeStore store, string episodeId, int count) =>
        WaitForAsync(feed, store, episodeId, t => t.Steps.Count >= count);
}
