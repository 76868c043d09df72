namespace ChaosLab.Core.Environment;

/// <summary>The suites this server offers, in registration order.</summary>
public sealed class SuiteCatalog(IEnumerable<ISuite> suites)
{
    public IReadOnlyList<ISuite> Suites { get; } = [.. suites];

    public ISuite? Find(string name) => Suites.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The fault kind of that name in any served suite, or null (e.g. a record from a suite no longer served).</summary>
    public Faults.FaultKind? FindFaultKind(string name) =>
        Suites.SelectMany(s => s.FaultKinds).FirstOrDefault(k => string.Equals(k.Name, name, StringComparison.Ordinal));
}
