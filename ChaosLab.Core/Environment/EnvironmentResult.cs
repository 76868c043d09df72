namespace ChaosLab.Core.Environment;

/// <summary>A value, or the validation errors that prevented it. Domain failures are values, not exceptions.</summary>
public readonly record struct EnvironmentResult<T>
{
    private EnvironmentResult(T? value, IReadOnlyList<ValidationError> errors, EnvironmentErrorKind errorKind)
    {
        Value = value;
        Errors = errors;
        ErrorKind = errorKind;
    }

    public T? Value { get; }

    public IReadOnlyList<ValidationError> Errors { get; }

    public EnvironmentErrorKind ErrorKind { get; }

    public bool Succeeded => Errors.Count == 0;

    public static EnvironmentResult<T> Success(T value) => new(value, [], EnvironmentErrorKind.None);

    /// <summary>The request was malformed or named something that does not exist.</summary>
    public static EnvironmentResult<T> Invalid(params IReadOnlyList<ValidationError> errors) => new(default, errors, EnvironmentErrorKind.Validation);

    /// <summary>The request was well-formed but cannot run now (no episode yet, episode over).</summary>
    public static EnvironmentResult<T> Refused(string message) => new(default, [new ValidationError("", message)], EnvironmentErrorKind.State);
}

public enum EnvironmentErrorKind
{
    None,
    Validation,
    State,
}

/// <param name="Path">Where the problem is, as JSON property names joined by dots ("" for the whole input).</param>
/// <param name="ValidValues">For unknown names, the values that would have been accepted.</param>
public sealed record ValidationError(string Path, string Message, IReadOnlyList<string>? ValidValues = null);
