using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ChaosLab.Core.Persistence.Configuration;

internal sealed class ScenarioEntityConfiguration : IEntityTypeConfiguration<ScenarioEntity>
{
    public void Configure(EntityTypeBuilder<ScenarioEntity> scenario)
    {
        scenario.ToTable("scenarios");
        scenario.HasKey(s => new { s.Id, s.Version });
        scenario.Property(s => s.Id).HasColumnName("id");
        scenario.Property(s => s.Version).HasColumnName("version");
        scenario.Property(s => s.Suite).HasColumnName("suite");
        scenario.Property(s => s.TaskId).HasColumnName("task_id");
        scenario.Property(s => s.Tier).HasColumnName("tier");
        scenario.Property(s => s.Family).HasColumnName("family");
        scenario.Property(s => s.Title).HasColumnName("title");
        scenario.Property(s => s.DocumentJson).HasColumnName("document_json");
        scenario.Property(s => s.CreatedAt).HasColumnName("created_at").HasConversion<UnixMillisecondsConverter>();
        scenario.Property(s => s.Author).HasColumnName("author");
    }
}
