using ChaosLab.Core.Suites.Mast.Config;

namespace ChaosLab.Core.Suites.Mast.Simulation;

/// <summary>
/// What runs on one thread reuse: the clock (reset per run), the message codec's memos and the
/// Polly pipelines of the config in use. None of it carries a run's state into the next run.
/// </summary>
internal sealed class SimulationWorkspace
{
    [ThreadStatic]
    private static SimulationWorkspace? t_current;

    private ModelCallPipeline? _pipelines;

    public static SimulationWorkspace Current => t_current ??= new SimulationWorkspace();

    public SimulatedClock Clock { get; } = new();

    public MessageCodec Codec { get; } = new();

    public ModelCallPipeline Pipelines(ResilienceConfig config)
    {
        if (_pipelines is null || !ReferenceEquals(_pipelines.Config, config))
        {
            _pipelines = new ModelCallPipeline(config, Clock);
        }

        return _pipelines;
    }
}
