/** The filter controls' values, as the table holds them. */
export interface FilterValues {
  errorsOnly: boolean;
  unfinishedOnly: boolean;
  tool: string | null;
  text: string;
}

/** The filters above the collection table: errors only, unfinished, tool name, search. */
export function CollectionFilters({ values, toolNames, onChange }: { values: FilterValues; toolNames: readonly string[]; onChange(patch: Partial<FilterValues>): void }) {
  return (
    <div className="panel-tools collection-filters">
      <label className="collection-search">
        Search
        <input type="search" placeholder="ID, model, message text" value={values.text} onChange={(e) => onChange({ text: e.target.value })} />
      </label>
      <label className="toggle">
        <input type="checkbox" checked={values.errorsOnly} onChange={(e) => onChange({ errorsOnly: e.target.checked })} />
        Errors only
      </label>
      <label className="toggle">
        <input type="checkbox" checked={values.unfinishedOnly} onChange={(e) => onChange({ unfinishedOnly: e.target.checked })} />
        Unfinished
      </label>
      <label className="toggle">
        Tool
        <select value={values.tool ?? ''} onChange={(e) => onChange({ tool: e.target.value === '' ? null : e.target.value })}>
          <option value="">Any tool</option>
          {toolNames.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
