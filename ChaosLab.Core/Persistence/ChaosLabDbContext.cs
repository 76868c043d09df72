using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ChaosLab.Core.Persistence;

/// <summary>
/// The store's EF Core model. The tables themselves are created and upgraded by
/// <see cref="Schema.SchemaMigrator"/>, never by <c>EnsureCreated</c>: this model must match
/// the schema the newest upgrade step produces (a test checks it).
/// </summary>
public sealed class ChaosLabDbContext(DbContextOptions<ChaosLabDbContext> options) : DbContext(options)
{
    public DbSet<EpisodeEntity> Episodes => Set<EpisodeEntity>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<EpisodeEntity>(episode =>
        {
            episode.ToTable("episodes");
            episode.HasKey(e => e.Id);
            episode.Property(e => e.Id).HasColumnName("id");
            episode.Property(e => e.Suite).HasColumnName("suite");
            episode.Property(e => e.TaskId).HasColumnName("task_id");
            episode.Property(e => e.Tier).HasColumnName("tier");
            episode.Property(e => e.ScenarioId).HasColumnName("scenario_id");
            episode.Property(e => e.Seed).HasColumnName("seed");
            episode.Property(e => e.Agent).HasColumnName("agent");
            episode.Property(e => e.ClientKind).HasColumnName("client_kind");
            episode.Property(e => e.StartedAt).HasColumnName("started_at").HasConversion(UnixMilliseconds);
            episode.Property(e => e.EndedAt).HasColumnName("ended_at").HasConversion(UnixMilliseconds);
            episode.Property(e => e.Outcome).HasColumnName("outcome");
            episode.Property(e => e.Score).HasColumnName("score");
        });
    }

    // SQLite has no date type that sorts and compares natively; Unix milliseconds do both and
    // keep every timestamp in UTC.
    private static readonly ValueConverter<DateTimeOffset, long> UnixMilliseconds = new(
        value => value.ToUnixTimeMilliseconds(),
        stored => DateTimeOffset.FromUnixTimeMilliseconds(stored));
}
