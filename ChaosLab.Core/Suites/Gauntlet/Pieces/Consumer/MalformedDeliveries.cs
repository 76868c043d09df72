using System.Globalization;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Suites.Gauntlet.Harness;

namespace ChaosLab.Core.Suites.Gauntlet.Pieces.Consumer;

/// <summary>
/// Malformed deliveries: each breaks exactly one rule of requirements.md's "well-formed delivery",
/// so every one of them must be rejected whatever else an implementation does.
/// </summary>
internal static class MalformedDeliveries
{
    /// <summary>Corruptions <c>float()</c> accepts: a naive <c>try: float(x)</c> lets them through.</summary>
    private static readonly string[] FloatAccepted = ["amount nan", "amount inf", "amount numeric string", "amount boolean"];

    private static readonly string[] Others =
    [
        "amount None", "amount 'ERR'", "no 'seq'", "no 'amount'", "no 'key'", "no 'id'", "seq string",
        "seq 0", "seq negative", "key not a string", "id empty", "not a dict (JSON text)", "not a dict (None)", "not a dict (list)",
    ];

    /// <summary>Corruptions of a real event's copy (its id, key and seq stay, so it looks like the event).</summary>
    private static readonly string[] CopyCorruptions = ["amount numeric string", "amount nan", "amount None", "seq string", "amount boolean"];

    /// <summary>A malformed delivery that looks like an event of <paramref name="key"/> (a fresh id, never a real event's).</summary>
    public static Delivery Garbage(DeterministicRandom random, string id, string key, bool floatAccepted)
    {
        var corruption = floatAccepted ? random.Pick(FloatAccepted) : random.Pick([.. FloatAccepted, .. Others]);
        var amount = (long)random.Next(-200, 500) * 25;
        var seq = random.Next(1, 60);
        var json = new JsonObject { ["id"] = id, ["key"] = key, ["seq"] = seq, ["amount"] = amount };
        return new Delivery(Corrupt(json, corruption, amount, seq), null, Reason(corruption, json));
    }

    /// <summary>A corrupted copy of <paramref name="e"/>, sent before its valid copy.</summary>
    public static Delivery CorruptedCopy(DeterministicRandom random, LedgerEvent e)
    {
        var corruption = random.Pick(CopyCorruptions);
        var json = e.ToJson();
        return new Delivery(Corrupt(json, corruption, e.Amount, e.Seq), e, "corrupted copy of " + e.Id + ": " + Reason(corruption, json));
    }

    private static JsonNode? Corrupt(JsonObject json, string corruption, long amount, int seq)
    {
        switch (corruption)
        {
            case "amount nan": json["amount"] = PyValue.NaN; break;
            case "amount inf": json["amount"] = PyValue.Real(double.PositiveInfinity); break;
            case "amount numeric string": json["amount"] = (amount / 100.0).ToString("0.00", CultureInfo.InvariantCulture); break;
            case "amount boolean": json["amount"] = true; break;
            case "amount None": json["amount"] = null; break;
            case "amount 'ERR'": json["amount"] = "ERR"; break;
            case "no 'seq'": json.Remove("seq"); break;
            case "no 'amount'": json.Remove("amount"); break;
            case "no 'key'": json.Remove("key"); break;
            case "no 'id'": json.Remove("id"); break;
            case "seq string": json["seq"] = seq.ToString(CultureInfo.InvariantCulture); break;
            case "seq 0": json["seq"] = 0; break;
            case "seq negative": json["seq"] = -seq; break;
            case "key not a string": json["key"] = 100 + seq; break;
            case "id empty": json["id"] = string.Empty; break;
            case "not a dict (JSON text)": return JsonValue.Create(json.ToJsonString());
            case "not a dict (None)": return null;
            case "not a dict (list)": return new JsonArray([.. json.Select(p => p.Value?.DeepClone())]);
            default: throw new ArgumentOutOfRangeException(nameof(corruption), corruption, "Unknown corruption.");
        }

        return json;
    }

    /// <summary>What is wrong, as a person reads it: "amount nan", "seq '17' (a string)".</summary>
    private static string Reason(string corruption, JsonObject json) => corruption switch
    {
        "amount numeric string" or "amount 'ERR'" or "amount boolean" or "amount None" or "amount nan" or "amount inf" => "amount " + PyValue.Show(json["amount"]),
        "seq string" => $"seq {PyValue.Show(json["seq"])} (a string)",
        "seq 0" or "seq negative" => $"seq {PyValue.Show(json["seq"])} (seqs start at 1)",
        "key not a string" => $"key {PyValue.Show(json["key"])} (not a string)",
        "id empty" => "an empty id",
        _ => corruption,
    };
}
