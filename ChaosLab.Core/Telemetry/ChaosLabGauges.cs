using System.Diagnostics.Metrics;
using ChaosLab.Core.Recording;
using ChaosLab.Core.Replicas;
using static ChaosLab.Core.Telemetry.ChaosLabTelemetry;

namespace ChaosLab.Core.Telemetry;

/// <summary>
/// The instruments read when a collector asks, on the meter of <see cref="ChaosLabMetrics"/>: this
/// replica's sessions and capacity, the recorder's queue and drops, and the store's evaluation work.
/// They exist once this is created; each callback only reads a number already in memory.
/// </summary>
public sealed class ChaosLabGauges
{
    public ChaosLabGauges(ChaosLabMetrics metrics, ReplicaIdentity replica, ISessionCounts sessions, EpisodeRecorder recorder, EvaluationWorkItemCounts workItems)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(replica);
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(recorder);
        ArgumentNullException.ThrowIfNull(workItems);
        var meter = metrics.Meter;
        var replicaTag = new KeyValuePair<string, object?>(Tags.Replica, replica.Id);
        meter.CreateObservableGauge(Metrics.SessionsOpen, () => new Measurement<int>(sessions.ActiveSessions, replicaTag),
            "{session}", "Sessions open on this replica (each holds a capacity slot).");
        meter.CreateObservableGauge(Metrics.SessionsCapacity, () => new Measurement<int>(sessions.MaxSessions, replicaTag),
            "{session}", "Sessions this replica may hold at once.");
        meter.CreateObservableGauge(Metrics.RecorderQueueDepth, () => recorder.QueuedRecords,
            "{record}", "Records queued for the store and not yet committed.");
        meter.CreateObservableCounter(Metrics.RecorderDropped, () => recorder.DroppedRecords,
            "{record}", "Records the recorder could not queue (its queue full while the store failed, or after shutdown).");
        meter.CreateObservableGauge(Metrics.EvaluationWorkItems, () => WorkItems(workItems.Last),
            "{work_item}", "Evaluation work items of unfinished runs in the shared store, by status (pending, leased); the same on every replica.");
    }

    private static IEnumerable<Measurement<long>> WorkItems(EvaluationWorkItemCounts.Snapshot? counts) => counts is null ? [] :
    [
        new(counts.Pending, new KeyValuePair<string, object?>(Tags.Status, "pending")),
        new(counts.Leased, new KeyValuePair<string, object?>(Tags.Status, "leased")),
    ];
}
