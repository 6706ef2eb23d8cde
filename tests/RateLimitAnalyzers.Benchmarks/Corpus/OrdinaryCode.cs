using System;
using System.Collections.Generic;
using System.Linq;

namespace RateLimitAnalyzers.Benchmarks.Corpus;

/// <summary>The code that makes up most of a real code base and never touches HTTP.</summary>
internal static class OrdinaryCode
{
    private static readonly string[] s_lifecycle = { "Draft", "Pending", "Active", "Suspended", "Closed", "Archived" };

    private static readonly DomainProperty[] s_properties =
    {
        new("Quantity", "int", null, "Quantity < 0", "Quantity must not be negative."),
        new("Amount", "decimal", null, "Amount < 0m", "Amount must not be negative."),
        new("CreatedAt", "DateTime", null, "CreatedAt > DateTime.UtcNow.AddDays(1)", "CreatedAt lies in the future."),
        new("IsArchived", "bool", null, null, null),
        new("Notes", "string?", null, "Notes is { Length: > 2000 }", "Notes are longer than 2000 characters."),
        new("Priority", "int", null, "Priority is < 0 or > 5", "Priority must be between 0 and 5."),
        new("Currency", "string", "\"EUR\"", "Currency.Length != 3", "Currency must be an ISO 4217 code."),
        new("Email", "string", "string.Empty", "Email.Length > 0 && !Email.Contains('@')", "Email is not an address."),
        new("Weight", "double", null, "double.IsNaN(Weight) || Weight < 0", "Weight must be a positive number."),
        new("DueDate", "DateTime?", null, "DueDate is { } due && due.Year < 2000", "DueDate is too far in the past."),
        new("Region", "string", "\"eu-west\"", "string.IsNullOrEmpty(Region)", "Region is required."),
        new("Discount", "decimal", null, "Discount is < 0m or > 1m", "Discount is a fraction between 0 and 1."),
        new("Revision", "int", "1", "Revision < 1", "Revision starts at 1."),
    };

    public static string DomainModel(CorpusUnit unit, SplitMix64 random)
    {
        var type = unit.Name();
        var status = unit.Name("Status");
        var states = s_lifecycle[..random.Between(3, s_lifecycle.Length)];
        var properties = random.Sample(s_properties, random.Between(4, 10));
        var hasTags = random.Chance(60);

        var w = new CodeWriter();
        w.Usings("System", "System.Collections.Generic", "System.Globalization", "System.Linq");
        w.Line("namespace " + unit.Namespace + ";").Line();

        w.Open("public enum " + status);
        foreach (var state in states)
        {
            w.Line(state + ",");
        }

        w.Close().Line();

        w.Line("/// <summary>A " + unit.Stem.ToLowerInvariant() + " as the " + unit.Area + " team tracks it.</summary>");
        w.Open("public sealed class " + type + " : IEquatable<" + type + ">");
        w.Open("public " + type + "(Guid id, string name)");
        w.Line("Id = id;");
        w.Line("Name = name ?? throw new ArgumentNullException(nameof(name));");
        w.Line("Status = " + status + "." + states[0] + ";");
        w.Close().Line();
        w.Line("public Guid Id { get; }").Line();
        w.Line("public string Name { get; private set; }").Line();
        w.Line("public " + status + " Status { get; private set; }").Line();
        foreach (var property in properties)
        {
            w.Line("public " + property.Type + " " + property.Name + " { get; set; }" + (property.Initializer is null ? string.Empty : " = " + property.Initializer + ";")).Line();
        }

        if (hasTags)
        {
            w.Line("public List<string> Tags { get; } = new();").Line();
        }

        w.Open("public IReadOnlyList<string> Validate()");
        w.Line("var errors = new List<string>();");
        w.Open("if (string.IsNullOrWhiteSpace(Name))").Line("errors.Add(\"Name is required.\");").Close();
        foreach (var property in properties.Where(p => p.Invalid is not null))
        {
            w.Line().Open("if (" + property.Invalid + ")").Line("errors.Add(\"" + property.Error + "\");").Close();
        }

        if (hasTags)
        {
            w.Line().Open("foreach (var tag in Tags)");
            w.Open("if (tag.Length > 32)").Line("errors.Add($\"Tag '{tag}' is longer than 32 characters.\");").Close();
            w.Close();
        }

        w.Line().Line("return errors;").Close().Line();

        w.Open("public void Rename(string name)");
        w.Open("if (string.IsNullOrWhiteSpace(name))").Line("throw new ArgumentException(\"A name is required.\", nameof(name));").Close().Line();
        w.Line("Name = name.Trim();").Close().Line();

        w.Open("public void MoveTo(" + status + " next)");
        w.Line("Status = (Status, next) switch");
        w.Line("{");
        for (var i = 0; i + 1 < states.Length; i++)
        {
            w.Line("    (" + status + "." + states[i] + ", " + status + "." + states[i + 1] + ") => next,");
        }

        w.Line("    (_, " + status + "." + states[0] + ") when Status != " + status + "." + states[^1] + " => next,");
        w.Line("    _ => throw new InvalidOperationException($\"A " + unit.Stem.ToLowerInvariant() + " cannot move from {Status} to {next}.\"),");
        w.Line("};").Close().Line();

        var shown = properties.Where(p => p.Invalid is not null).Take(2).Select(p => " " + p.Name + "={" + p.Name + "}");
        w.Line("public string Describe() => string.Create(CultureInfo.InvariantCulture, $\"{Name} ({Status})" + string.Concat(shown) + "\");").Line();
        w.Line("public bool Equals(" + type + "? other) => other is not null && Id == other.Id;").Line();
        w.Line("public override bool Equals(object? obj) => obj is " + type + " other && Equals(other);").Line();
        w.Line("public override int GetHashCode() => Id.GetHashCode();").Line();

        var snapshotProperties = properties.Take(4).ToArray();
        w.Line("public " + unit.Name("Snapshot") + " ToSnapshot() => new(Id, Name, Status" + string.Concat(snapshotProperties.Select(p => ", " + p.Name)) + ");");
        w.Close().Line();

        w.Line("public sealed record " + unit.Name("Snapshot") + "(Guid Id, string Name, " + status + " Status" + string.Concat(snapshotProperties.Select(p => ", " + p.Type + " " + p.Name)) + ");");

        if (random.Chance(70))
        {
            w.Line();
            w.Open("public static class " + unit.Name("Rules"));
            w.Open("public static int Score(" + type + " item)");
            w.Line("var score = item.Name.Length % 7;");
            foreach (var property in properties.Take(random.Between(1, 4)))
            {
                w.Line("score += " + ScoreTerm(property) + ";");
            }

            if (hasTags)
            {
                w.Open("foreach (var tag in item.Tags)").Line("score += tag.StartsWith(\"vip\", StringComparison.OrdinalIgnoreCase) ? 10 : 1;").Close();
            }

            w.Line("return score;").Close().Line();
            w.Open("public static IReadOnlyList<" + type + "> Rank(IEnumerable<" + type + "> items, int take)");
            w.Line("return items.Where(i => i.Validate().Count == 0).OrderByDescending(Score).ThenBy(i => i.Name, StringComparer.Ordinal).Take(take).ToList();");
            w.Close().Line();
            w.Open("public static Dictionary<" + status + ", int> CountByStatus(IEnumerable<" + type + "> items)");
            w.Line("var counts = new Dictionary<" + status + ", int>();");
            w.Open("foreach (var item in items)");
            w.Line("counts.TryGetValue(item.Status, out var count);");
            w.Line("counts[item.Status] = count + 1;");
            w.Close().Line();
            w.Line("return counts;").Close();
            w.Close();
        }

        return w.ToString();
    }

    private static string ScoreTerm(DomainProperty property) => property.Type switch
    {
        "int" => "item." + property.Name + " * 2",
        "decimal" => "(int)Math.Min(item." + property.Name + ", 100m)",
        "double" => "(int)Math.Min(item." + property.Name + ", 100d)",
        "bool" => "item." + property.Name + " ? 0 : 5",
        "DateTime" => "item." + property.Name + ".DayOfYear % 3",
        "DateTime?" => "item." + property.Name + ".HasValue ? 1 : 0",
        _ => "(item." + property.Name + "?.Length ?? 0) % 5",
    };

    public static string Queries(CorpusUnit unit, SplitMix64 random)
    {
        var row = unit.Name("Row");
        var w = new CodeWriter();
        w.Usings("System", "System.Collections.Generic", "System.Linq");
        w.Line("namespace " + unit.Namespace + ";").Line();
        w.Line("public sealed record " + row + "(int Id, string Category, string Region, decimal Total, DateTime PlacedAt, bool IsActive);").Line();
        w.Open("public sealed class " + unit.TypeName);
        w.Line("private readonly List<" + row + "> _rows = new();").Line();
        w.Line("public int Count => _rows.Count;").Line();
        w.Line("public void Add(" + row + " row) => _rows.Add(row);").Line();
        w.Line("public void AddRange(IEnumerable<" + row + "> rows) => _rows.AddRange(rows);");

        foreach (var query in random.Sample(s_queries, random.Between(6, s_queries.Length)))
        {
            w.Line();
            query(w, row);
        }

        w.Close();
        return w.ToString();
    }

    private static readonly Action<CodeWriter, string>[] s_queries =
    {
        (w, row) => w.Line("public IReadOnlyList<" + row + "> Active() => _rows.Where(r => r.IsActive).OrderBy(r => r.PlacedAt).ToList();"),
        (w, row) => w.Line("public IReadOnlyDictionary<string, decimal> TotalsByCategory() => _rows.GroupBy(r => r.Category).ToDictionary(g => g.Key, g => g.Sum(r => r.Total));"),
        (w, row) => w.Open("public IReadOnlyList<" + row + "> Page(int page, int size)")
            .Open("if (page < 1 || size < 1)").Line("throw new ArgumentOutOfRangeException(nameof(page));").Close().Line()
            .Line("return _rows.OrderBy(r => r.Id).Skip((page - 1) * size).Take(size).ToList();").Close(),
        (w, row) => w.Open("public IEnumerable<(string Region, int Count, decimal Average)> RegionStats()")
            .Lines("return from r in _rows", "       group r by r.Region into g", "       orderby g.Count() descending", "       select (g.Key, g.Count(), g.Average(x => x.Total));").Close(),
        (w, row) => w.Line("public " + row + "? Latest(string region) => _rows.Where(r => string.Equals(r.Region, region, StringComparison.OrdinalIgnoreCase)).MaxBy(r => r.PlacedAt);"),
        (w, row) => w.Open("public IReadOnlyList<" + row + "> Since(DateTime since)")
            .Line("var result = new List<" + row + ">();")
            .Open("foreach (var row in _rows)").Open("if (row.PlacedAt >= since)").Line("result.Add(row);").Close().Close().Line()
            .Line("return result;").Close(),
        (w, row) => w.Open("public decimal RunningTotal(Func<" + row + ", bool> include)")
            .Line("decimal total = 0;")
            .Open("for (var i = 0; i < _rows.Count; i++)").Open("if (include(_rows[i]))").Line("total += _rows[i].Total;").Close().Close().Line()
            .Line("return total;").Close(),
        (w, row) => w.Open("public IEnumerable<IReadOnlyList<" + row + ">> Batches(int size)")
            .Line("var batch = new List<" + row + ">(size);")
            .Open("foreach (var row in _rows)").Line("batch.Add(row);")
            .Open("if (batch.Count == size)").Line("yield return batch;").Line("batch = new List<" + row + ">(size);").Close().Close().Line()
            .Open("if (batch.Count > 0)").Line("yield return batch;").Close().Close(),
        (w, row) => w.Line("public ILookup<bool, " + row + "> SplitByActivity() => _rows.ToLookup(r => r.IsActive);"),
        (w, row) => w.Open("public int[] Histogram(int buckets, decimal max)")
            .Line("var counts = new int[buckets];")
            .Open("foreach (var row in _rows)").Line("var bucket = (int)Math.Clamp(row.Total / max * buckets, 0, buckets - 1);").Line("counts[bucket]++;").Close().Line()
            .Line("return counts;").Close(),
        (w, row) => w.Line("public IReadOnlyList<string> TopCategories(int n) => _rows.GroupBy(r => r.Category).OrderByDescending(g => g.Sum(r => r.Total)).Take(n).Select(g => g.Key).ToList();"),
        (w, row) => w.Open("public IEnumerable<(" + row + " Row, string Label)> JoinLabels(IEnumerable<(int Id, string Label)> labels)")
            .Lines("return from r in _rows", "       join l in labels on r.Id equals l.Id", "       select (r, l.Label);").Close(),
        (w, row) => w.Line("public IReadOnlyList<" + row + "> Duplicates() => _rows.GroupBy(r => (r.Category, r.Region, r.Total)).Where(g => g.Count() > 1).SelectMany(g => g.Skip(1)).ToList();"),
        (w, row) => w.Open("public IReadOnlyDictionary<(int Year, int Month), decimal> AverageByMonth()")
            .Line("return _rows.GroupBy(r => (r.PlacedAt.Year, r.PlacedAt.Month)).ToDictionary(g => g.Key, g => g.Average(r => r.Total));").Close(),
        (w, row) => w.Open("public IReadOnlyList<" + row + "> Search(string term)")
            .Open("if (string.IsNullOrWhiteSpace(term))").Line("return Array.Empty<" + row + ">();").Close().Line()
            .Line("return _rows.Where(r => r.Category.Contains(term, StringComparison.OrdinalIgnoreCase) || r.Region.Contains(term, StringComparison.OrdinalIgnoreCase)).ToList();").Close(),
        (w, row) => w.Line("public int RemoveInactive(DateTime before) => _rows.RemoveAll(r => !r.IsActive && r.PlacedAt < before);"),
    };

    public static string TextProcessing(CorpusUnit unit, SplitMix64 random)
    {
        var w = new CodeWriter();
        w.Usings("System", "System.Collections.Generic", "System.Globalization", "System.Text");
        w.Line("namespace " + unit.Namespace + ";").Line();
        w.Line("/// <summary>Text helpers for " + unit.Stem.ToLowerInvariant() + " values.</summary>");
        w.Open("public static class " + unit.TypeName);
        var first = true;
        foreach (var method in random.Sample(s_textMethods, random.Between(5, s_textMethods.Length)))
        {
            if (!first)
            {
                w.Line();
            }

            first = false;
            w.Lines(method);
        }

        w.Close();
        return w.ToString();
    }

    private static readonly string[][] s_textMethods =
    {
        new[]
        {
            "public static string Slugify(string text)", "{",
            "    var builder = new StringBuilder(text.Length);",
            "    var dash = false;",
            "    foreach (var c in text.Trim().ToLowerInvariant())", "    {",
            "        if (char.IsLetterOrDigit(c))", "        {", "            builder.Append(c);", "            dash = false;", "        }",
            "        else if (!dash && builder.Length > 0)", "        {", "            builder.Append('-');", "            dash = true;", "        }",
            "    }", "",
            "    return builder.ToString().TrimEnd('-');", "}",
        },
        new[]
        {
            "public static IReadOnlyList<string> SplitCsv(string line)", "{",
            "    var fields = new List<string>();",
            "    var current = new StringBuilder();",
            "    var quoted = false;",
            "    for (var i = 0; i < line.Length; i++)", "    {",
            "        var c = line[i];",
            "        if (c == '\"')", "        {",
            "            if (quoted && i + 1 < line.Length && line[i + 1] == '\"')", "            {", "                current.Append('\"');", "                i++;", "            }",
            "            else", "            {", "                quoted = !quoted;", "            }", "        }",
            "        else if (c == ',' && !quoted)", "        {", "            fields.Add(current.ToString());", "            current.Clear();", "        }",
            "        else", "        {", "            current.Append(c);", "        }",
            "    }", "",
            "    fields.Add(current.ToString());",
            "    return fields;", "}",
        },
        new[]
        {
            "public static Dictionary<string, string> ParseKeyValues(string text, char separator = ';')", "{",
            "    var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);",
            "    foreach (var part in text.Split(separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))", "    {",
            "        var equals = part.IndexOf('=');",
            "        if (equals <= 0)", "        {", "            continue;", "        }", "",
            "        values[part[..equals].Trim()] = part[(equals + 1)..].Trim();",
            "    }", "",
            "    return values;", "}",
        },
        new[]
        {
            "public static string Truncate(string text, int maxLength, string ellipsis = \"...\")", "{",
            "    if (maxLength < ellipsis.Length)", "    {", "        throw new ArgumentOutOfRangeException(nameof(maxLength));", "    }", "",
            "    return text.Length <= maxLength ? text : string.Concat(text.AsSpan(0, maxLength - ellipsis.Length), ellipsis);", "}",
        },
        new[]
        {
            "public static string ToTitleCase(string text)", "{",
            "    var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);",
            "    for (var i = 0; i < words.Length; i++)", "    {",
            "        var word = words[i];",
            "        words[i] = word.Length <= 3 && i > 0 ? word.ToLowerInvariant() : char.ToUpperInvariant(word[0]) + word[1..].ToLowerInvariant();",
            "    }", "",
            "    return string.Join(' ', words);", "}",
        },
        new[]
        {
            "public static int CountWords(string text)", "{",
            "    var count = 0;",
            "    var inWord = false;",
            "    foreach (var c in text)", "    {",
            "        if (char.IsWhiteSpace(c))", "        {", "            inWord = false;", "        }",
            "        else if (!inWord)", "        {", "            inWord = true;", "            count++;", "        }",
            "    }", "",
            "    return count;", "}",
        },
        new[]
        {
            "public static int Distance(string a, string b)", "{",
            "    var previous = new int[b.Length + 1];",
            "    var current = new int[b.Length + 1];",
            "    for (var j = 0; j <= b.Length; j++)", "    {", "        previous[j] = j;", "    }", "",
            "    for (var i = 1; i <= a.Length; i++)", "    {",
            "        current[0] = i;",
            "        for (var j = 1; j <= b.Length; j++)", "        {",
            "            var cost = a[i - 1] == b[j - 1] ? 0 : 1;",
            "            current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);",
            "        }", "",
            "        (previous, current) = (current, previous);",
            "    }", "",
            "    return previous[b.Length];", "}",
        },
        new[]
        {
            "public static string MaskEmail(string email)", "{",
            "    var at = email.IndexOf('@');",
            "    if (at <= 1)", "    {", "        return email;", "    }", "",
            "    return email[0] + new string('*', at - 1) + email[at..];", "}",
        },
        new[]
        {
            "public static IEnumerable<string> Wrap(string text, int width)", "{",
            "    var line = new StringBuilder();",
            "    foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))", "    {",
            "        if (line.Length > 0 && line.Length + word.Length + 1 > width)", "        {",
            "            yield return line.ToString();", "            line.Clear();", "        }", "",
            "        if (line.Length > 0)", "        {", "            line.Append(' ');", "        }", "",
            "        line.Append(word);",
            "    }", "",
            "    if (line.Length > 0)", "    {", "        yield return line.ToString();", "    }", "}",
        },
        new[]
        {
            "public static TimeSpan ParseDuration(string text)", "{",
            "    var total = TimeSpan.Zero;",
            "    var number = 0;",
            "    foreach (var c in text)", "    {",
            "        if (char.IsDigit(c))", "        {", "            number = number * 10 + (c - '0');", "            continue;", "        }", "",
            "        total += c switch",
            "        {",
            "            'd' => TimeSpan.FromDays(number),",
            "            'h' => TimeSpan.FromHours(number),",
            "            'm' => TimeSpan.FromMinutes(number),",
            "            's' => TimeSpan.FromSeconds(number),",
            "            _ => throw new FormatException($\"Unknown unit '{c}' in '{text}'.\"),",
            "        };",
            "        number = 0;",
            "    }", "",
            "    return total;", "}",
        },
        new[]
        {
            "public static bool IsPalindrome(string text)", "{",
            "    int left = 0, right = text.Length - 1;",
            "    while (left < right)", "    {",
            "        if (!char.IsLetterOrDigit(text[left]))", "        {", "            left++;", "        }",
            "        else if (!char.IsLetterOrDigit(text[right]))", "        {", "            right--;", "        }",
            "        else if (char.ToLowerInvariant(text[left++]) != char.ToLowerInvariant(text[right--]))", "        {", "            return false;", "        }",
            "    }", "",
            "    return true;", "}",
        },
        new[]
        {
            "public static string FormatAmount(decimal amount, string currency)", "{",
            "    var culture = currency switch",
            "    {",
            "        \"EUR\" => CultureInfo.GetCultureInfo(\"de-DE\"),",
            "        \"GBP\" => CultureInfo.GetCultureInfo(\"en-GB\"),",
            "        _ => CultureInfo.InvariantCulture,",
            "    };",
            "    return amount.ToString(\"N2\", culture) + \" \" + currency;", "}",
        },
    };

    public static string Workflow(CorpusUnit unit, SplitMix64 random)
    {
        var item = unit.Name("WorkItem");
        var w = new CodeWriter();
        w.Usings("System", "System.Collections.Concurrent", "System.Collections.Generic", "System.Linq", "System.Runtime.CompilerServices", "System.Threading", "System.Threading.Channels", "System.Threading.Tasks");
        w.Line("namespace " + unit.Namespace + ";").Line();
        w.Line("public sealed record " + item + "(int Id, string Payload, int Attempts);").Line();
        w.Open("public sealed class " + unit.TypeName);
        w.Line("private readonly ConcurrentQueue<" + item + "> _pending = new();");
        w.Line("private readonly Func<" + item + ", CancellationToken, Task> _handle;");
        w.Line("private int _completed;").Line();
        w.Open("public " + unit.TypeName + "(Func<" + item + ", CancellationToken, Task> handle)").Line("_handle = handle;").Close().Line();
        w.Line("public int Completed => Volatile.Read(ref _completed);").Line();
        w.Line("public void Enqueue(" + item + " item) => _pending.Enqueue(item);");
        foreach (var method in random.Sample(s_workflowMethods, random.Between(4, s_workflowMethods.Length)))
        {
            w.Line();
            w.Lines(method.Select(line => line.Replace("ITEM", item)).ToArray());
        }

        w.Close();
        return w.ToString();
    }

    private static readonly string[][] s_workflowMethods =
    {
        new[]
        {
            "public async Task ProcessAllAsync(IEnumerable<ITEM> items, int parallelism, CancellationToken cancellationToken)", "{",
            "    using var gate = new SemaphoreSlim(parallelism);",
            "    var tasks = items.Select(async item =>", "    {",
            "        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);",
            "        try", "        {", "            await _handle(item, cancellationToken).ConfigureAwait(false);", "            Interlocked.Increment(ref _completed);", "        }",
            "        finally", "        {", "            gate.Release();", "        }",
            "    });", "",
            "    await Task.WhenAll(tasks).ConfigureAwait(false);", "}",
        },
        new[]
        {
            "public async Task RunPipelineAsync(IEnumerable<ITEM> items, CancellationToken cancellationToken)", "{",
            "    var channel = Channel.CreateBounded<ITEM>(new BoundedChannelOptions(64) { SingleReader = true });",
            "    var producer = Task.Run(async () =>", "    {",
            "        foreach (var item in items)", "        {", "            await channel.Writer.WriteAsync(item, cancellationToken).ConfigureAwait(false);", "        }", "",
            "        channel.Writer.Complete();",
            "    }, cancellationToken);", "",
            "    await foreach (var item in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))", "    {",
            "        await _handle(item, cancellationToken).ConfigureAwait(false);",
            "        Interlocked.Increment(ref _completed);",
            "    }", "",
            "    await producer.ConfigureAwait(false);", "}",
        },
        new[]
        {
            "public async IAsyncEnumerable<ITEM> DrainAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)", "{",
            "    while (_pending.TryDequeue(out var item))", "    {",
            "        cancellationToken.ThrowIfCancellationRequested();",
            "        await Task.Yield();",
            "        yield return item;",
            "    }", "}",
        },
        new[]
        {
            "public async Task<int> ConsumeAsync(IAsyncEnumerable<ITEM> source, CancellationToken cancellationToken)", "{",
            "    var handled = 0;",
            "    await foreach (var item in source.WithCancellation(cancellationToken))", "    {",
            "        if (item.Attempts > 3)", "        {", "            continue;", "        }", "",
            "        await _handle(item, cancellationToken).ConfigureAwait(false);",
            "        handled++;",
            "    }", "",
            "    return handled;", "}",
        },
        new[]
        {
            "public async Task<bool> TryWithinAsync(ITEM item, TimeSpan timeout, CancellationToken cancellationToken)", "{",
            "    using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);",
            "    timeoutSource.CancelAfter(timeout);",
            "    try", "    {",
            "        await _handle(item, timeoutSource.Token).ConfigureAwait(false);",
            "        return true;", "    }",
            "    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)", "    {",
            "        return false;", "    }", "}",
        },
        new[]
        {
            "public async Task RequeueFailedAsync(ITEM item, CancellationToken cancellationToken)", "{",
            "    for (var attempt = item.Attempts; attempt < 5; attempt++)", "    {",
            "        try", "        {",
            "            await _handle(item with { Attempts = attempt }, cancellationToken).ConfigureAwait(false);",
            "            return;", "        }",
            "        catch (InvalidOperationException) when (attempt < 4)", "        {",
            "            await Task.Delay(TimeSpan.FromMilliseconds(50 << attempt), cancellationToken).ConfigureAwait(false);", "        }",
            "    }", "}",
        },
        new[]
        {
            "public async Task<ITEM?> FirstDoneAsync(IReadOnlyList<ITEM> items, CancellationToken cancellationToken)", "{",
            "    if (items.Count == 0)", "    {", "        return null;", "    }", "",
            "    var running = items.ToDictionary(item => _handle(item, cancellationToken), item => item);",
            "    var done = await Task.WhenAny(running.Keys).ConfigureAwait(false);",
            "    return running[done];", "}",
        },
        new[]
        {
            "public IReadOnlyList<ITEM> Snapshot(Func<ITEM, bool> filter)", "{",
            "    return _pending.Where(filter).OrderBy(i => i.Id).ToArray();", "}",
        },
    };

    private sealed record DomainProperty(string Name, string Type, string? Initializer, string? Invalid, string? Error);
}
