using System.Globalization;
using System.Text.Json.Nodes;
using ChaosLab.Core.Suites.Gauntlet.Harness;
using static ChaosLab.Core.Suites.Gauntlet.Pieces.Consumer.ConsumerOutput;

namespace ChaosLab.Core.Suites.Gauntlet.Pieces.Consumer;

/// <summary>
/// Tier 2, ordering: each call applies exactly the events that are ready (per-account seq order,
/// gaps waiting in the reorder buffer until they fill or are skipped), and dead-letters exactly the late ones.
/// </summary>
internal static class OrderingChecks
{
    public const int Tier = 2;
    public const string PerKeyOrder = "per_key_order";
    public const string LateDeadLettered = "late_dead_lettered";

    public static IEnumerable<CheckResult> Check(ConsumerCase c, IReadOnlyList<CallRun> calls)
    {
        yield return CheckOrder(c, calls);
        yield return CheckDeadLetters(c, calls);
    }

    private static CheckResult CheckOrder(ConsumerCase c, IReadOnlyList<CallRun> calls)
    {
        var lastSeq = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var call = 0; call < calls.Count; call++)
        {
            if (!calls[call].Succeeded)
            {
                return Fail(PerKeyOrder, $"{CallName(call)} {calls[call].Describe()}", Excerpt(c, call, 0));
            }

            var (ids, problem) = Ids(calls[call], "applied");
            if (ids is null)
            {
                return Fail(PerKeyOrder, $"{CallName(call)} {problem}", Excerpt(c, call, 0));
            }

            var applied = ids.Where(c.Events.ContainsKey).Select(id => c.Events[id]).ToList();
            var appliedSet = applied.ToHashSet();
            var truth = c.Truth[call].Applied.ToHashSet();
            foreach (var e in applied)
            {
                if (!truth.Contains(e))
                {
                    return Fail(PerKeyOrder, $"{CallName(call)} applied {e}, {WhyNotNow(c, e, call)}", Evidence(c, e));
                }

                if (lastSeq.TryGetValue(e.Key, out var last) && e.Seq <= last)
                {
                    return Fail(PerKeyOrder, string.Create(CultureInfo.InvariantCulture,
                        $"{CallName(call)} applied {e} after {e.Key} seq {last}: an account's events must be applied in seq order"), Evidence(c, e));
                }

                lastSeq[e.Key] = e.Seq;
            }

            if (c.Truth[call].Applied.FirstOrDefault(e => !appliedSet.Contains(e)) is { } missed)
            {
                return Fail(PerKeyOrder, $"{CallName(call)} did not apply {missed}, though by then every lower seq of {missed.Key} had been applied or skipped ({Where(c, missed)})", Evidence(c, missed));
            }
        }

        return CheckResult.Pass(Tier, PerKeyOrder);
    }

    /// <summary>Why a correct consumer does not apply the event in this call.</summary>
    private static string WhyNotNow(ConsumerCase c, LedgerEvent e, int call)
    {
        if (c.SkippedIn.TryGetValue(e.Id, out var skipped) && skipped <= call)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"but {e.Key} had skipped seq {e.Seq} in call {skipped + 1} (an event {LedgerModel.ReorderWindow} or more seqs past it had arrived): a late event is dead-lettered, never applied out of order");
        }

        return c.AppliedIn(e) switch
        {
            { } earlier when earlier < call => string.Create(CultureInfo.InvariantCulture, $"but it had been applied in call {earlier + 1} already"),
            { } later => string.Create(CultureInfo.InvariantCulture, $"but a lower seq of {e.Key} was still missing: it waits in the reorder buffer (a correct consumer applies it in call {later + 1})"),
            null => $"but a lower seq of {e.Key} was still missing: it waits in the reorder buffer (a correct consumer still holds it at the end of the case)",
        };
    }

    private static CheckResult CheckDeadLetters(ConsumerCase c, IReadOnlyList<CallRun> calls)
    {
        for (var call = 0; call < calls.Count; call++)
        {
            if (!calls[call].Succeeded)
            {
                return Fail(LateDeadLettered, $"{CallName(call)} {calls[call].Describe()}", Excerpt(c, call, 0));
            }

            var (ids, problem) = Ids(calls[call], "dead_letter");
            if (ids is null)
            {
                return Fail(LateDeadLettered, $"{CallName(call)} {problem}", Excerpt(c, call, 0));
            }

            var late = c.Truth[call].DeadLettered;
            if (late.FirstOrDefault(e => !ids.Contains(e.Id)) is { } missed)
            {
                return Fail(LateDeadLettered, string.Create(CultureInfo.InvariantCulture,
                    $"{CallName(call)} did not dead-letter {missed}: {missed.Key} had skipped seq {missed.Seq} in call {c.SkippedIn[missed.Id] + 1}, so this delivery is late"), Late(c, call, missed));
            }

            if (ids.FirstOrDefault(id => !late.Any(e => e.Id == id)) is { } extra)
            {
                var what = c.Events.TryGetValue(extra, out var e) ? e.ToString() : $"'{extra}'";
                return Fail(LateDeadLettered, $"{CallName(call)} dead-lettered {what}, which is not a late event in that call (late: {(late.Count == 0 ? "none" : string.Join(", ", late.Select(l => l.Id)))})",
                    e is null ? new JsonObject { ["dead_letter"] = extra } : Evidence(c, e));
            }
        }

        return CheckResult.Pass(Tier, LateDeadLettered);
    }

    /// <summary>The late delivery itself, in its call.</summary>
    private static JsonObject Late(ConsumerCase c, int call, LedgerEvent e)
    {
        var index = c.Calls[call].Select((d, i) => (d, i)).First(p => p.d.IsValid && p.d.Event == e).i;
        return Excerpt(c, call, index, "late delivery");
    }

    private static CheckResult Fail(string check, string message, JsonNode? evidence) => CheckResult.Fail(Tier, check, "tier 2: " + message, evidence);
}
