using System.ComponentModel.DataAnnotations;

namespace ChaosLab.Web.Hosting.Telemetry;

/// <summary>The Prometheus endpoint <c>/metrics</c> (<c>ChaosLab:Metrics</c>).</summary>
public sealed class MetricsOptions
{
    public const string SectionName = "ChaosLab:Metrics";

    /// <summary>
    /// On by default; a public Space turns it off (its Dockerfile does). Off, <c>/metrics</c> answers
    /// 404 and nothing collects. On, it is open unless <c>ChaosLab:AdminKey</c> is set, which it then needs.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the evaluation work items are counted in the store (a query the scrape must not wait for).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan WorkItemRefreshInterval { get; set; } = TimeSpan.FromSeconds(5);
}
