namespace ChaosLab.Core.Harness;

/// <summary>
/// Which harness layers run between the model and the environment (the seed's switches):
/// <see cref="Enabled"/> is the master switch; with it off no layer runs whatever its own flag says.
/// </summary>
public sealed record HarnessOptions
{
    public const int DefaultTopK = 3;

    public bool Enabled { get; init; } = true;
    public bool H2 { get; init; } = true;
    public bool H3 { get; init; } = true;
    public bool H4 { get; init; } = true;
    public bool H5 { get; init; } = true;

    /// <summary>How many procedural skills h5 injects at most.</summary>
    public int H5TopK { get; init; } = DefaultTopK;

    public static HarnessOptions All { get; } = new();

    public static HarnessOptions None { get; } = new() { Enabled = false };

    public bool IsOn(HarnessLayer layer) => Enabled && layer switch
    {
        HarnessLayer.H2 => H2,
        HarnessLayer.H3 => H3,
        HarnessLayer.H4 => H4,
        HarnessLayer.H5 => H5,
        _ => false,
    };

    /// <summary>These switches with one layer off, for an ablation.</summary>
    public HarnessOptions Without(HarnessLayer layer) => layer switch
    {
        HarnessLayer.H2 => this with { H2 = false },
        HarnessLayer.H3 => this with { H3 = false },
        HarnessLayer.H4 => this with { H4 = false },
        HarnessLayer.H5 => this with { H5 = false },
        _ => this,
    };

    /// <summary>The layers that run, e.g. "h2+h3+h4+h5", or "none": part of the agent's recorded name.</summary>
    public string Label
    {
        get
        {
            var on = Enum.GetValues<HarnessLayer>().Where(IsOn).Select(l => l.Name()).ToList();
            return on.Count == 0 ? "none" : string.Join('+', on);
        }
    }
}

public enum HarnessLayer
{
    H2,
    H3,
    H4,
    H5,
}

public static class HarnessLayers
{
    /// <summary>"h2".."h5", as recorded and shown.</summary>
    public static string Name(this HarnessLayer layer) => layer switch
    {
        HarnessLayer.H2 => "h2",
        HarnessLayer.H3 => "h3",
        HarnessLayer.H4 => "h4",
        HarnessLayer.H5 => "h5",
        _ => throw new ArgumentOutOfRangeException(nameof(layer)),
    };

    /// <summary>What each layer does, for tables and the replay's lane.</summary>
    public static string Title(this HarnessLayer layer) => layer switch
    {
        HarnessLayer.H2 => "action realization",
        HarnessLayer.H3 => "environment contract",
        HarnessLayer.H4 => "trajectory regulation",
        HarnessLayer.H5 => "procedural skills",
        _ => throw new ArgumentOutOfRangeException(nameof(layer)),
    };
}
