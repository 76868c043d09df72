namespace ChaosLab.Core.Suites.Tools;

/// <summary>The 30 tool names, as agents spell them.</summary>
public static class ToolNames
{
    public const string WebSearch = "web_search";
    public const string FetchUrl = "fetch_url";
    public const string KnowledgeBaseLookup = "knowledge_base_lookup";
    public const string DatabaseQuery = "database_query";
    public const string DocumentSearch = "document_search";
    public const string GetCurrentDatetime = "get_current_datetime";
    public const string ReadFile = "read_file";
    public const string ApiCall = "api_call";
    public const string Calculator = "calculator";
    public const string PythonExecute = "python_execute";
    public const string TextExtract = "text_extract";
    public const string DataTransform = "data_transform";
    public const string CompareValues = "compare_values";
    public const string JsonQuery = "json_query";
    public const string Translate = "translate";
    public const string ScratchpadWrite = "scratchpad_write";
    public const string ScratchpadRead = "scratchpad_read";
    public const string WriteFile = "write_file";
    public const string DatabaseInsert = "database_insert";
    public const string CreateReport = "create_report";
    public const string ValidateUrl = "validate_url";
    public const string ValidateData = "validate_data";
    public const string CheckConsistency = "check_consistency";
    public const string FactCheck = "fact_check";
    public const string HashVerify = "hash_verify";
    public const string SendNotification = "send_notification";
    public const string ScheduleTask = "schedule_task";
    public const string UpdateTicket = "update_ticket";
    public const string RequestHumanReview = "request_human_review";
    public const string SubmitAnswer = "submit_answer";

    /// <summary>Tools that read the world; only their results count as sources of a fact.</summary>
    public static IReadOnlySet<string> Retrieval { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        WebSearch, FetchUrl, KnowledgeBaseLookup, DatabaseQuery, DocumentSearch, ReadFile, ApiCall,
    };

    /// <summary>
    /// The independent source a retrieval tool reads from: web search and page fetches read the
    /// same site, so together they are one source.
    /// </summary>
    public static string SourceOf(string tool) => tool switch
    {
        WebSearch or FetchUrl => "web",
        KnowledgeBaseLookup => "knowledge_base",
        DatabaseQuery => "database",
        DocumentSearch => "documents",
        ReadFile => "files",
        ApiCall => "internal_api",
        _ => tool,
    };
}
