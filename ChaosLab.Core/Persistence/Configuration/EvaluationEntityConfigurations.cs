using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ChaosLab.Core.Persistence.Configuration;

internal sealed class EvaluationRunEntityConfiguration : IEntityTypeConfiguration<EvaluationRunEntity>
{
    public void Configure(EntityTypeBuilder<EvaluationRunEntity> run)
    {
        run.ToTable("eval_runs");
        run.HasKey(r => r.Id);
        run.Property(r => r.Id).HasColumnName("id");
        run.Property(r => r.Name).HasColumnName("name");
        run.Property(r => r.Agent).HasColumnName("agent");
        run.Property(r => r.Model).HasColumnName("model");
        run.Property(r => r.Harness).HasColumnName("harness");
        run.Property(r => r.AssignmentJson).HasColumnName("assignment_json");
        run.Property(r => r.AblationId).HasColumnName("ablation_id");
        run.Property(r => r.Variant).HasColumnName("variant");
        run.Property(r => r.Origin).HasColumnName("origin");
        run.Property(r => r.Status).HasColumnName("status");
        run.Property(r => r.CreatedAt).HasColumnName("created_at").HasConversion<UnixMillisecondsConverter>();
        run.Property(r => r.StartedAt).HasColumnName("started_at").HasConversion<UnixMillisecondsConverter>();
        run.Property(r => r.EndedAt).HasColumnName("ended_at").HasConversion<UnixMillisecondsConverter>();
        run.Property(r => r.Error).HasColumnName("error");
        run.Property(r => r.Concurrency).HasColumnName("concurrency");
    }
}

internal sealed class EvaluationRunItemEntityConfiguration : IEntityTypeConfiguration<EvaluationRunItemEntity>
{
    public void Configure(EntityTypeBuilder<EvaluationRunItemEntity> item)
    {
        item.ToTable("eval_run_items");
        item.HasKey(i => new { i.RunId, i.Key });
        // Known to EF so a run is inserted before its items.
        item.HasOne<EvaluationRunEntity>().WithMany().HasForeignKey(i => i.RunId).OnDelete(DeleteBehavior.Cascade);
        item.Property(i => i.RunId).HasColumnName("run_id");
        item.Property(i => i.Key).HasColumnName("item_key");
        item.Property(i => i.Sequence).HasColumnName("sequence");
        item.Property(i => i.Suite).HasColumnName("suite");
        item.Property(i => i.TaskId).HasColumnName("task_id");
        item.Property(i => i.Tier).HasColumnName("tier");
        item.Property(i => i.ScenarioId).HasColumnName("scenario_id");
        item.Property(i => i.SeedIndex).HasColumnName("seed_index");
        item.Property(i => i.Trial).HasColumnName("trial");
        item.Property(i => i.Status).HasColumnName("status");
        item.Property(i => i.Attempts).HasColumnName("attempts");
        item.Property(i => i.EpisodeId).HasColumnName("episode_id");
        item.Property(i => i.Outcome).HasColumnName("outcome");
        item.Property(i => i.Score).HasColumnName("score");
        item.Property(i => i.Success).HasColumnName("success");
        item.Property(i => i.Steps).HasColumnName("steps");
        item.Property(i => i.InterventionsJson).HasColumnName("interventions_json");
        item.Property(i => i.Error).HasColumnName("error");
        item.Property(i => i.StartedAt).HasColumnName("started_at").HasConversion<UnixMillisecondsConverter>();
        item.Property(i => i.EndedAt).HasColumnName("ended_at").HasConversion<UnixMillisecondsConverter>();
        item.Property(i => i.LeaseOwner).HasColumnName("lease_owner");
        item.Property(i => i.LeaseExpiresAt).HasColumnName("lease_expires_at").HasConversion<UnixMillisecondsConverter>();
    }
}

internal sealed class AgentTraceEntityConfiguration : IEntityTypeConfiguration<AgentTraceEntity>
{
    public void Configure(EntityTypeBuilder<AgentTraceEntity> trace)
    {
        trace.ToTable("agent_traces");
        trace.HasKey(t => t.EpisodeId);
        trace.Property(t => t.EpisodeId).HasColumnName("episode_id");
        trace.Property(t => t.RunId).HasColumnName("run_id");
        trace.Property(t => t.TraceJson).HasColumnName("trace_json");
        trace.Property(t => t.CreatedAt).HasColumnName("created_at").HasConversion<UnixMillisecondsConverter>();
    }
}
