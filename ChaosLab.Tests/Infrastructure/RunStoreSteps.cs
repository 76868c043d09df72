using ChaosLab.Core.Evaluation;

namespace ChaosLab.Tests.Infrastructure;

/// <summary>
/// An item's moves as one test replica makes them, named by the item's key: what tests of pages and
/// endpoints need to put runs in a state without playing them.
/// </summary>
public static class RunStoreSteps
{
    /// <summary>The replica the steps act as.</summary>
    public const string Owner = "test-replica";

    /// <summary>Claims the named item under a lease of an hour from the real clock (nothing in these tests takes it over).</summary>
    public static async Task<bool> StartItemAsync(this RunStore store, string runId, string key, string episodeId, string owner = Owner) =>
        await store.ClaimNextAsync(runId, new ItemLease(owner, episodeId, TimeProvider.System.GetUtcNow(), TimeSpan.FromHours(1)), key) is not null;

    public static Task<bool> CompleteItemAsync(this RunStore store, string runId, string key, string episodeId, ItemResult result) =>
        store.CompleteItemAsync(new ItemHold(runId, key, episodeId, Owner), result);

    public static Task<bool> FailItemAsync(this RunStore store, string runId, string key, string episodeId, string error) =>
        store.FailItemAsync(new ItemHold(runId, key, episodeId, Owner), error);
}
