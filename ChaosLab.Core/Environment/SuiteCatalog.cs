namespace ChaosLab.Core.Environment;

/// <summary>The suites this server offers, in registration order.</summary>
public sealed class SuiteCatalog(IEnumerable<ISuite> suites)
{
    public IReadOnlyList<ISuite> Suites { get; } = [.. suites];

    public ISuite? Find(string name) => Suites.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
}
