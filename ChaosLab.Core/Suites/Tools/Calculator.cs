using System.Globalization;

namespace ChaosLab.Core.Suites.Tools;

/// <summary>
/// A recursive-descent arithmetic parser (no eval): + - * / % ^, parentheses, unary minus,
/// constants pi and e, functions sqrt abs round(x[,digits]) floor ceil ln log10 exp min max pow.
/// Thousands separators ("1,234.5") are not accepted inside numbers because commas separate
/// function arguments; "_" may group digits.
/// </summary>
public static class Calculator
{
    public const int MaxDepth = 64;

    public static (double Value, string? Error) Evaluate(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var parser = new Parser(expression);
        try
        {
            var value = parser.ParseExpression(0);
            parser.SkipSpace();
            if (!parser.AtEnd)
            {
                return (0, $"syntax error at position {parser.Position}: unexpected '{parser.Current}'");
            }

            if (double.IsNaN(value) || double.IsInfinity(value))
            {
                return (0, "math error: the result is not a finite number (division by zero?)");
            }

            return (value, null);
        }
        catch (FormatException e)
        {
            return (0, e.Message);
        }
    }

    private sealed class Parser(string text)
    {
        private int _pos;

        public int Position => _pos;

        public bool AtEnd => _pos >= text.Length;

        public char Current => text[_pos];

        public void SkipSpace()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos]))
            {
                _pos++;
            }
        }

        // expression := term (('+'|'-') term)*
        public double ParseExpression(int depth)
        {
            Guard(depth);
            var value = ParseTerm(depth);
            while (true)
            {
                SkipSpace();
                if (Accept('+'))
                {
                    value += ParseTerm(depth);
                }
                else if (Accept('-'))
                {
                    value -= ParseTerm(depth);
                }
                else
                {
                    return value;
                }
            }
        }

        // term := power (('*'|'/'|'%') power)*
        private double ParseTerm(int depth)
        {
            var value = ParseUnary(depth);
            while (true)
            {
                SkipSpace();
                if (Accept('*'))
                {
                    value *= ParseUnary(depth);
                }
                else if (Accept('/'))
                {
                    value /= ParseUnary(depth);
                }
                else if (Accept('%'))
                {
                    value %= ParseUnary(depth);
                }
                else
                {
                    return value;
                }
            }
        }

        // unary := ('-'|'+') unary | power
        private double ParseUnary(int depth)
        {
            SkipSpace();
            if (Accept('-'))
            {
                Guard(depth + 1);
                return -ParseUnary(depth + 1);
            }

            if (Accept('+'))
            {
                Guard(depth + 1);
                return ParseUnary(depth + 1);
            }

            return ParsePower(depth);
        }

        // power := primary ('^' unary)?   (right-associative)
        private double ParsePower(int depth)
        {
            var value = ParsePrimary(depth);
            SkipSpace();
            if (Accept('^') || AcceptText("**"))
            {
                Guard(depth + 1);
                return Math.Pow(value, ParseUnary(depth + 1));
            }

            return value;
        }

        private double ParsePrimary(int depth)
        {
            SkipSpace();
            if (AtEnd)
            {
                throw new FormatException($"syntax error at position {_pos}: expression ended early");
            }

            if (Accept('('))
            {
                var inner = ParseExpression(depth + 1);
                Expect(')');
                return inner;
            }

            if (char.IsDigit(Current) || Current == '.')
            {
                return ParseNumber();
            }

            if (char.IsLetter(Current))
            {
                var start = _pos;
                while (!AtEnd && (char.IsLetterOrDigit(Current) || Current == '_'))
                {
                    _pos++;
                }

                var name = text[start.._pos].ToLowerInvariant();
                SkipSpace();
                if (!Accept('('))
                {
                    return name switch
                    {
                        "pi" => Math.PI,
                        "e" => Math.E,
                        _ => throw new FormatException($"syntax error at position {start}: unknown name '{name}'"),
                    };
                }

                var args = new List<double>();
                SkipSpace();
                if (!Accept(')'))
                {
                    do
                    {
                        args.Add(ParseExpression(depth + 1));
                        SkipSpace();
                    }
                    while (Accept(','));
                    Expect(')');
                }

                return Call(name, args, start);
            }

            throw new FormatException($"syntax error at position {_pos}: unexpected '{Current}'");
        }

        private static double Call(string name, List<double> a, int at)
        {
            double Arg(int i) => i < a.Count ? a[i] : throw new FormatException($"{name}() needs {i + 1} argument(s)");
            return name switch
            {
                "sqrt" => Math.Sqrt(Arg(0)),
                "abs" => Math.Abs(Arg(0)),
                "round" => Math.Round(Arg(0), a.Count > 1 ? (int)Math.Clamp(a[1], 0, 15) : 0, MidpointRounding.AwayFromZero),
                "floor" => Math.Floor(Arg(0)),
                "ceil" => Math.Ceiling(Arg(0)),
                "ln" or "log" => Math.Log(Arg(0)),
                "log10" => Math.Log10(Arg(0)),
                "exp" => Math.Exp(Arg(0)),
                "pow" => Math.Pow(Arg(0), Arg(1)),
                "min" when a.Count > 0 => a.Min(),
                "max" when a.Count > 0 => a.Max(),
                _ => throw new FormatException($"syntax error at position {at}: unknown function '{name}'"),
            };
        }

        private double ParseNumber()
        {
            var start = _pos;
            while (!AtEnd && (char.IsDigit(Current) || Current == '.' || Current == '_'))
            {
                _pos++;
            }

            if (!AtEnd && (Current == 'e' || Current == 'E') && _pos + 1 < text.Length && (char.IsDigit(text[_pos + 1]) || text[_pos + 1] is '-' or '+'))
            {
                _pos += 2;
                while (!AtEnd && char.IsDigit(Current))
                {
                    _pos++;
                }
            }

            var literal = text[start.._pos].Replace("_", "", StringComparison.Ordinal);
            return double.TryParse(literal, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new FormatException($"syntax error at position {start}: bad number '{literal}'");
        }

        private bool Accept(char c)
        {
            if (!AtEnd && Current == c)
            {
                _pos++;
                return true;
            }

            return false;
        }

        private bool AcceptText(string s)
        {
            if (string.CompareOrdinal(text, _pos, s, 0, s.Length) == 0)
            {
                _pos += s.Length;
                return true;
            }

            return false;
        }

        private void Expect(char c)
        {
            SkipSpace();
            if (!Accept(c))
            {
                throw new FormatException($"syntax error at position {_pos}: expected '{c}'");
            }
        }

        private static void Guard(int depth)
        {
            if (depth > MaxDepth)
            {
                throw new FormatException("expression nested too deeply");
            }
        }
    }
}
