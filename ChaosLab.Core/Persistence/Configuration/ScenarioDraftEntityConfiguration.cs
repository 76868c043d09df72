using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ChaosLab.Core.Persistence.Configuration;

internal sealed class ScenarioDraftEntityConfiguration : IEntityTypeConfiguration<ScenarioDraftEntity>
{
    public void Configure(EntityTypeBuilder<ScenarioDraftEntity> draft)
    {
        draft.ToTable("scenario_drafts");
        draft.HasKey(d => d.Id);
        draft.Property(d => d.Id).HasColumnName("id");
        draft.Property(d => d.Suite).HasColumnName("suite");
        draft.Property(d => d.Version).HasColumnName("version");
        draft.Property(d => d.Revision).HasColumnName("revision");
        draft.Property(d => d.BaseVersion).HasColumnName("base_version");
        draft.Property(d => d.Author).HasColumnName("author");
        draft.Property(d => d.CreatedAt).HasColumnName("created_at").HasConversion<UnixMillisecondsConverter>();
        draft.Property(d => d.UpdatedAt).HasColumnName("updated_at").HasConversion<UnixMillisecondsConverter>();
        draft.Property(d => d.DocumentJson).HasColumnName("document_json");
    }
}
