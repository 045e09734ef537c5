import BulwarkService
import Foundation
import Testing

/// Keeps docker-compose.yml, the Dockerfile and ops/ in step with the service they deploy: the variables
/// they set exist and take those values, every alert's runbook link lands on a section, and the dashboard
/// queries only Bulwark's metrics.
@Suite struct DeploymentFilesTests {
    /// The package root: this file is `Tests/BulwarkServiceTests/DeploymentFilesTests.swift`.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func everyVariableNamedIsAConfigurationKey() throws {
        let known = Set(ServiceConfiguration.keys.map(\.variable))
        var named: [String: Set<String>] = [:]
        for file in try Self.deploymentFiles() {
            for variable in Self.matches(#"(?<![A-Za-z0-9_])(?:BULWARK|REDIS|LOG)_[A-Z0-9_]+"#, in: try Self.text(file)) {
                named[variable, default: []].insert(file)
            }
        }
        #expect(named.keys.contains("REDIS_URL") && named.keys.contains("BULWARK_ADMIN_TOKEN"), "the scan found nothing")
        for (variable, files) in named.sorted(by: { $0.key < $1.key }) where !known.contains(variable) {
            Issue.record("\(variable), named in \(files.sorted().joined(separator: ", ")), is no key of ServiceConfiguration")
        }
    }

    @Test func theValuesSetInComposeAndTheDockerfileAreAccepted() throws {
        // `KEY: value` (compose) and `ENV KEY=value` (Dockerfile); values read from the environment are skipped.
        let assignment = #"(?m)^\s*(?:ENV\s+)?((?:BULWARK|REDIS|LOG)_[A-Z0-9_]+)\s*[:=]\s*"?([^"$\s]+)"?\s*$"#
        var instanceIDs: [String] = []
        for file in ["docker-compose.yml", "Dockerfile"] {
            for groups in Self.matchGroups(assignment, in: try Self.text(file)) {
                let (variable, value) = (groups[0], groups[1])
                #expect(throws: Never.self, "\(file): \(variable)") {
                    try ServiceConfiguration.load(file: nil, environment: [variable: value])
                }
                if variable == "BULWARK_INSTANCE_ID" { instanceIDs.append(value) }
            }
        }
        #expect(instanceIDs.count == 3, "three instances in docker-compose.yml")
        #expect(Set(instanceIDs).count == instanceIDs.count, "instance ids must differ: \(instanceIDs)")
    }

    @Test func theImageBuildsAndRunsTheBulwarkExecutable() throws {
        let dockerfile = try Self.text("Dockerfile")
        let manifest = try Self.text("Package.swift")
        let products = Self.matchGroups(#"--product\s+([A-Za-z0-9_-]+)"#, in: dockerfile).map { $0[0] }
        #expect(products == ["bulwark"])
        for product in products {
            let declared = manifest.contains(".executable(name: \"\(product)\"")
            #expect(declared, "Package.swift declares no executable \(product)")
        }
        #expect(dockerfile.contains(#"ENTRYPOINT ["bulwark"]"#) && dockerfile.contains(#"CMD ["serve"]"#))
        #expect(dockerfile.contains("GET /health/live "), "the health check asks /health/live")
        let users = Self.matchGroups(#"(?m)^USER\s+(\S+)"#, in: dockerfile).map { $0[0] }
        #expect(users.count == 1 && !users[0].hasPrefix("root") && !users[0].hasPrefix("0"), "runs as a non-root user")
    }

    @Test func everyAlertLinksToASectionOfTheRunbook() throws {
        let anchors = Self.headingAnchors(of: try Self.text("ops/runbook.md"))
        let rules = try Self.text("ops/prometheus/alerts.yml").components(separatedBy: "- alert:").dropFirst()
        #expect(rules.count >= 10, "alerts.yml has the design's alerts at two severities")
        for rule in rules {
            let name = rule.prefix { !$0.isNewline }.trimmingCharacters(in: .whitespaces)
            let body = rule.components(separatedBy: "- record:")[0]
            for annotation in ["summary:", "description:"] {
                #expect(body.contains(annotation), "\(name) has no \(annotation)")
            }
            let links = Self.matchGroups(#"runbook_url:\s*"?ops/runbook\.md#([^"\s]+)"#, in: body).map { $0[0] }
            #expect(links.count == 1, "\(name) needs one runbook_url into ops/runbook.md")
            for anchor in links where !anchors.contains(anchor) {
                Issue.record("\(name) links to #\(anchor), which is no heading of ops/runbook.md")
            }
        }
    }

    @Test func theRunbooksOwnLinksLandOnItsHeadings() throws {
        let runbook = try Self.text("ops/runbook.md")
        let anchors = Self.headingAnchors(of: runbook)
        for anchor in Self.matchGroups(#"\]\(#([^)]+)\)"#, in: runbook).map({ $0[0] }) where !anchors.contains(anchor) {
            Issue.record("ops/runbook.md links to #\(anchor), which is none of its headings")
        }
    }

    @Test func theDashboardParsesAndQueriesOnlyBulwarkMetrics() throws {
        let data = try Data(contentsOf: Self.root.appendingPathComponent("ops/grafana/bulwark-dashboard.json"))
        let dashboard = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(dashboard["title"] is String)
        let expressions = Self.strings(forKey: "expr", in: dashboard)
        #expect(expressions.count >= 10, "the dashboard's panels query Prometheus")
        var metrics: Set<String> = []
        for expression in expressions {
            let names = Self.metricNames(in: expression)
            #expect(!names.isEmpty, "no metric in \(expression)")
            metrics.formUnion(names)
        }
        for metric in metrics.sorted() where !metric.hasPrefix("bulwark_") {
            Issue.record("the dashboard queries \(metric), which is not one of Bulwark's metrics")
        }
        for required in ["bulwark_breaker_state", "bulwark_cache_requests_total", "bulwark_shared_state_fallback"] {
            #expect(metrics.contains(required), "the dashboard shows \(required)")
        }
    }
}

extension DeploymentFilesTests {
    /// docker-compose.yml, the Dockerfile, .dockerignore and every file under ops/, relative to the root.
    static func deploymentFiles() throws -> [String] {
        let ops = root.appendingPathComponent("ops")
        let enumerator = try #require(FileManager.default.enumerator(at: ops, includingPropertiesForKeys: [.isRegularFileKey]))
        var files = ["docker-compose.yml", "Dockerfile", ".dockerignore"]
        for case let url as URL in enumerator where try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true {
            files.append("ops/" + url.path.dropFirst(ops.path.count + 1))
        }
        #expect(files.contains("ops/runbook.md"))
        return files
    }

    static func text(_ relativePath: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(relativePath), encoding: .utf8)
    }

    /// The whole matches of `pattern`.
    static func matches(_ pattern: String, in text: String) -> [String] {
        regexMatches(pattern, in: text).map { match in String(text[Range(match.range, in: text)!]) }
    }

    /// The capture groups of every match of `pattern` (an empty string for a group that took no part).
    static func matchGroups(_ pattern: String, in text: String) -> [[String]] {
        regexMatches(pattern, in: text).map { match in
            (1..<match.numberOfRanges).map { index in
                Range(match.range(at: index), in: text).map { String(text[$0]) } ?? ""
            }
        }
    }

    private static func regexMatches(_ pattern: String, in text: String) -> [NSTextCheckingResult] {
        // The patterns are literals of this file: one that does not compile is a bug here, not a finding.
        let regex = try! NSRegularExpression(pattern: pattern)
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text))
    }

    /// The anchors GitHub gives the headings of a Markdown text (outside code blocks): lowercased, spaces
    /// to hyphens, punctuation other than `-` and `_` dropped.
    static func headingAnchors(of markdown: String) -> Set<String> {
        var anchors: Set<String> = []
        var inCode = false
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") { inCode.toggle() }
            guard !inCode, line.hasPrefix("#"), let space = line.firstIndex(of: " ") else { continue }
            guard line[..<space].allSatisfy({ $0 == "#" }) else { continue }
            let title = line[space...].trimmingCharacters(in: .whitespaces).lowercased()
            anchors.insert(String(title.compactMap { $0 == " " ? "-" : ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") ? $0 : nil }))
        }
        return anchors
    }

    /// Every string stored under `key`, at any depth of a JSON value.
    static func strings(forKey key: String, in json: Any) -> [String] {
        if let object = json as? [String: Any] {
            return object.flatMap { entry in
                entry.key == key ? [entry.value as? String].compactMap { $0 } : strings(forKey: key, in: entry.value)
            }
        }
        if let array = json as? [Any] { return array.flatMap { strings(forKey: key, in: $0) } }
        return []
    }

    /// The metric names a PromQL expression selects: identifiers that are not functions, keywords, label
    /// names (inside `{…}` or after `by`, `without`, `on`, `ignoring`, `group_left`, `group_right`),
    /// durations, strings or Grafana variables.
    static func metricNames(in expression: String) -> Set<String> {
        var text = expression
        for pattern in [
            #""(?:[^"\\]|\\.)*""#, #"\{[^}]*\}"#, #"\[[^\]]*\]"#,
            #"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)"#,
        ] {
            text = try! NSRegularExpression(pattern: pattern)
                .stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: " ")
        }
        let keywords: Set<String> = [
            "and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right", "inf", "nan",
        ]
        // Possessive `*+`: a function's name must not match by giving up its last letters.
        let identifiers = matches(#"(?<![A-Za-z0-9_:.$])[A-Za-z_:][A-Za-z0-9_:]*+(?!\s*\()"#, in: text)
        return Set(identifiers.filter { !keywords.contains($0.lowercased()) })
    }
}
