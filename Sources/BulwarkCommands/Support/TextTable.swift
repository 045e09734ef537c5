/// A table of text in aligned columns, for human output.
///
/// ```
/// BREAKER        STATE     GENERATION
/// demo-catalog   closed    3
/// ```
struct TextTable: Sendable {
    /// The column titles.
    var headers: [String]
    /// The rows; each has as many cells as there are headers.
    var rows: [[String]]

    /// The header and rows, columns padded to their widest cell and separated by three spaces.
    var rendered: String {
        var widths = headers.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        func line(_ cells: [String]) -> String {
            var text = ""
            for (index, cell) in cells.enumerated() {
                let isLast = index == cells.count - 1
                text += isLast ? cell : cell + String(repeating: " ", count: widths[index] - cell.count + 3)
            }
            return text
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n")
    }
}
