namespace ChaosLab.Core.Telemetry;

/// <summary>How full this replica is: what the session gauges read (the server's session registry).</summary>
public interface ISessionCounts
{
    int ActiveSessions { get; }

    int MaxSessions { get; }
}
