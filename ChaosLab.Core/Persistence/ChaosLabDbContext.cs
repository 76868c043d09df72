using ChaosLab.Core.Persistence.Configuration;
using Microsoft.EntityFrameworkCore;

namespace ChaosLab.Core.Persistence;

/// <summary>
/// The store's EF Core model. The tables themselves are created and upgraded by
/// <see cref="Schema.SchemaMigrator"/>, never by <c>EnsureCreated</c>: this model must match
/// the schema the newest upgrade step produces (a test checks it). The schema's
/// <c>data_protection_keys</c> table belongs to the web host's key ring (its own context).
/// </summary>
public sealed class ChaosLabDbContext(DbContextOptions<ChaosLabDbContext> options) : DbContext(options)
{
    public DbSet<EpisodeEntity> Episodes => Set<EpisodeEntity>();

    public DbSet<StepEntity> Steps => Set<StepEntity>();

    public DbSet<StepFragmentEntity> StepFragments => Set<StepFragmentEntity>();

    public DbSet<BodyDictionaryEntity> BodyDictionaries => Set<BodyDictionaryEntity>();

    public DbSet<EpisodeFaultEntity> EpisodeFaults => Set<EpisodeFaultEntity>();

    public DbSet<ScenarioEntity> Scenarios => Set<ScenarioEntity>();

    public DbSet<ScenarioDraftEntity> ScenarioDrafts => Set<ScenarioDraftEntity>();

    public DbSet<CurriculumEntity> Curricula => Set<CurriculumEntity>();

    public DbSet<CurriculumEpisodeEntity> CurriculumEpisodes => Set<CurriculumEpisodeEntity>();

    public DbSet<EvaluationRunEntity> EvaluationRuns => Set<EvaluationRunEntity>();

    public DbSet<EvaluationRunItemEntity> EvaluationRunItems => Set<EvaluationRunItemEntity>();

    public DbSet<AgentTraceEntity> AgentTraces => Set<AgentTraceEntity>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfiguration(new EpisodeEntityConfiguration());
        modelBuilder.ApplyConfiguration(new StepEntityConfiguration());
        modelBuilder.ApplyConfiguration(new StepFragmentEntityConfiguration());
        modelBuilder.ApplyConfiguration(new BodyDictionaryEntityConfiguration());
        modelBuilder.ApplyConfiguration(new EpisodeFaultEntityConfiguration());
        modelBuilder.ApplyConfiguration(new ScenarioEntityConfiguration());
        modelBuilder.ApplyConfiguration(new ScenarioDraftEntityConfiguration());
        modelBuilder.ApplyConfiguration(new CurriculumEntityConfiguration());
        modelBuilder.ApplyConfiguration(new CurriculumEpisodeEntityConfiguration());
        modelBuilder.ApplyConfiguration(new EvaluationRunEntityConfiguration());
        modelBuilder.ApplyConfiguration(new EvaluationRunItemEntityConfiguration());
        modelBuilder.ApplyConfiguration(new AgentTraceEntityConfiguration());
    }
}
