using ChaosLab.Core.Environment;
using ChaosLab.Core.Suites.Gauntlet.Harness;

namespace ChaosLab.Core.Suites.Gauntlet.Pieces.Consumer;

/// <summary>
/// One generated case with its ground truth: the deliveries of every call, the true events,
/// and what a correct consumer does in each call. Stays in the server's process.
/// </summary>
/// <param name="Events">Every true event by id.</param>
/// <param name="Truth">Per call, what the requirements make a correct consumer do (<see cref="LedgerModel"/>).</param>
/// <param name="SkippedIn">For events whose seq a correct consumer gave up on: the call (0-based) it did.</param>
internal sealed record ConsumerCase(
    HarnessCase Harness,
    IReadOnlyList<IReadOnlyList<Delivery>> Calls,
    IReadOnlyDictionary<string, LedgerEvent> Events,
    IReadOnlyList<CallTruth> Truth,
    IReadOnlyDictionary<string, int> SkippedIn,
    IReadOnlyList<FaultDecision> Faults,
    string Description)
{
    public string Id => Harness.Id;

    /// <summary>Every event a correct consumer has applied by the end of the case, in order.</summary>
    public IEnumerable<LedgerEvent> AppliedByEnd => Truth.SelectMany(t => t.Applied);

    /// <summary>The call (0-based) in which a correct consumer applies the event, or null when it never does in this case.</summary>
    public int? AppliedIn(LedgerEvent e)
    {
        for (var call = 0; call < Truth.Count; call++)
        {
            if (Truth[call].Applied.Contains(e))
            {
                return call;
            }
        }

        return null;
    }

    /// <summary>Where a valid copy of the event was first delivered (0-based call and index), or null.</summary>
    public (int Call, int Index)? FirstDelivery(LedgerEvent e)
    {
        for (var call = 0; call < Calls.Count; call++)
        {
            for (var index = 0; index < Calls[call].Count; index++)
            {
                if (Calls[call][index] is { IsValid: true } d && d.Event == e)
                {
                    return (call, index);
                }
            }
        }

        return null;
    }
}
