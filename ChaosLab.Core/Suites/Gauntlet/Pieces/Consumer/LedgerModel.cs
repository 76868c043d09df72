namespace ChaosLab.Core.Suites.Gauntlet.Pieces.Consumer;

/// <summary>
/// The requirements run on the generator's own labels: what a correct consumer applies,
/// dead-letters, skips and buffers in each call. The checks compare a submission with this.
/// Every rule here is spelled out, with its constants, in requirements.md.
/// </summary>
internal sealed class LedgerModel
{
    /// <summary>A missing seq is waited for until an event this many seqs past it arrives.</summary>
    public const int ReorderWindow = 16;

    /// <summary>Skipped seqs remembered per account (the generator's late events stay well inside it).</summary>
    public const int SkipMemory = 64;

    private readonly Dictionary<string, Cursor> _cursors = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Key, int Seq), int> _skippedIn = [];

    /// <summary>The call in which the model gave up on an account's seq, for messages.</summary>
    public int? SkippedIn(LedgerEvent e) => _skippedIn.TryGetValue((e.Key, e.Seq), out var call) ? call : null;

    public CallTruth Run(int call, IReadOnlyList<Delivery> deliveries)
    {
        var batch = new CallTruthBuilder();
        for (var index = 0; index < deliveries.Count; index++)
        {
            var delivery = deliveries[index];
            if (!delivery.IsValid)
            {
                batch.Malformed.Add(index);
                continue;
            }

            Take(call, delivery.Event!, batch);
        }

        return batch.Build(_cursors.Values.Sum(c => c.Buffer.Count), _cursors.Where(c => c.Value.Next > 1).ToDictionary(c => c.Key, c => c.Value.Next - 1, StringComparer.Ordinal));
    }

    private void Take(int call, LedgerEvent e, CallTruthBuilder batch)
    {
        if (!_cursors.TryGetValue(e.Key, out var cursor))
        {
            cursor = new Cursor();
            _cursors[e.Key] = cursor;
        }

        if (e.Seq < cursor.Next)
        {
            if (cursor.Skipped.Remove(e.Seq))
            {
                batch.DeadLettered.Add(e);
            }
            else
            {
                batch.Duplicates++;
            }

            return;
        }

        if (!cursor.Buffer.TryAdd(e.Seq, (e, e.Seq != cursor.Next)))
        {
            batch.Duplicates++;
            return;
        }

        Drain(cursor, batch);
        while (cursor.Buffer.Count > 0 && cursor.Buffer.Keys.Max() - cursor.Next >= ReorderWindow)
        {
            var resume = cursor.Buffer.Keys.Min();
            for (var seq = cursor.Next; seq < resume; seq++)
            {
                cursor.Skipped.Add(seq);
                _skippedIn[(e.Key, seq)] = call;
                batch.Skipped++;
            }

            if (cursor.Skipped.Count > SkipMemory)
            {
                cursor.Skipped.RemoveRange(0, cursor.Skipped.Count - SkipMemory);
            }

            cursor.Next = resume;
            Drain(cursor, batch);
        }
    }

    private static void Drain(Cursor cursor, CallTruthBuilder batch)
    {
        while (cursor.Buffer.Remove(cursor.Next, out var held))
        {
            batch.Applied.Add(held.Event);
            batch.Reordered += held.Waited ? 1 : 0;
            cursor.Next++;
        }
    }

    private sealed class Cursor
    {
        public int Next { get; set; } = 1;

        public Dictionary<int, (LedgerEvent Event, bool Waited)> Buffer { get; } = [];

        public List<int> Skipped { get; } = [];
    }

    private sealed class CallTruthBuilder
    {
        public List<LedgerEvent> Applied { get; } = [];

        public List<LedgerEvent> DeadLettered { get; } = [];

        public List<int> Malformed { get; } = [];

        public int Reordered { get; set; }

        public int Duplicates { get; set; }

        public int Skipped { get; set; }

        public CallTruth Build(int buffered, IReadOnlyDictionary<string, int> offsets) =>
            new(Applied, DeadLettered, Malformed, Reordered, Duplicates, Skipped, buffered, offsets);
    }
}

/// <summary>What a correct consumer does in one call.</summary>
/// <param name="Applied">Events applied, in order.</param>
/// <param name="DeadLettered">Late events: their account had skipped their seq.</param>
/// <param name="Malformed">Indexes of the malformed deliveries in the call.</param>
/// <param name="Reordered">Applied events that had waited in the reorder buffer.</param>
/// <param name="Duplicates">Valid deliveries of events already applied, buffered or dead-lettered.</param>
/// <param name="Skipped">Seqs given up on in this call.</param>
/// <param name="Buffered">Events in the reorder buffers after the call.</param>
/// <param name="Offsets">Per account, the highest seq consumed (applied or skipped), after the call.</param>
internal sealed record CallTruth(
    IReadOnlyList<LedgerEvent> Applied,
    IReadOnlyList<LedgerEvent> DeadLettered,
    IReadOnlyList<int> Malformed,
    int Reordered,
    int Duplicates,
    int Skipped,
    int Buffered,
    IReadOnlyDictionary<string, int> Offsets);
