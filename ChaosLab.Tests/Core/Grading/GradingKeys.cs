using ChaosLab.Core.Grading;

namespace ChaosLab.Tests.Core.Grading;

/// <summary>Answer keys shaped like the four tiers of questions.</summary>
internal static class GradingKeys
{
    public static AnswerKey Population { get; } = new(
    [
        new AnswerSlot("population", SlotKind.Number, 1.0, 12_300_000d, "Population of Veloria", Unit: "people"),
    ]);

    public static AnswerKey Density { get; } = new(
    [
        new AnswerSlot("denser", SlotKind.Entity, 0.5, "Veloria", "Which of Veloria and Ostmark is denser",
            Aliases: ["Republic of Veloria"], Choices: ["Veloria", "Ostmark"], Cues: ["denser", "higher density", "more densely populated"]),
        new AnswerSlot("factor", SlotKind.Number, 0.5, 2.3, "By what factor", Cues: ["factor", "times"], Unit: "x"),
    ]);

    public static AnswerKey Revenue(bool accurate) => new(
    [
        new AnswerSlot("accurate", SlotKind.Boolean, 0.5, accurate, "Is NovaTech's claimed revenue of $5.2B accurate", Cues: ["accurate"]),
        new AnswerSlot("revenue", SlotKind.Number, 0.5, accurate ? 5.2e9 : 4.1e9, "NovaTech's real revenue",
            Cues: ["revenue", "real figure"], QuestionValues: [5.2e9], Unit: "USD"),
    ]);

    public static AnswerKey Founded { get; } = new(
    [
        new AnswerSlot("founded", SlotKind.Date, 1.0, new DateOnly(2024, 3, 5), "When NovaTech was founded"),
    ]);
}
