namespace ChaosLab.Core.Persistence;

/// <summary>The recorded episodes of one scenario id (every version and mode), as the schema keeps them.</summary>
/// <param name="Scored">Episodes with a score (graded, not abandoned).</param>
public sealed record ScenarioEpisodeTotals(long Episodes, long Scored, double ScoreSum)
{
    /// <summary>The mean score of the scored episodes; null when none was scored.</summary>
    public double? MeanScore => Scored == 0 ? null : ScoreSum / Scored;
}
