import {
  DashboardBuilder,
  DashboardCursorSync,
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  RowBuilder,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanelBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TimeseriesPanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';

/**
 * A dashboard as data: rows of panels, each with its PromQL queries. The generator renders it with the Grafana
 * Foundation SDK, and the same data lists every query for the tests (parse, metric names, live evaluation).
 */
export interface QuerySpec {
  readonly expr: string;
  readonly legend: string;
}

export interface PanelSpec {
  readonly title: string;
  /** Shown in the panel's info tooltip and in docs/observability.md: what it answers, how to read it. */
  readonly description: string;
  readonly kind: 'timeseries' | 'stat';
  /** A Grafana unit id (`reqps`, `s`, `percentunit`, `bytes`, `short`). */
  readonly unit: string;
  readonly queries: readonly QuerySpec[];
  /** Width in grid columns out of 24 (default 8). */
  readonly width?: number;
}

export interface RowSpec {
  readonly title: string;
  readonly panels: readonly PanelSpec[];
}

export interface VariableSpec {
  readonly name: string;
  readonly label: string;
  /** A Grafana `label_values(<series selector>, <label>)` query. */
  readonly metric: string;
  readonly labelName: string;
}

export interface DashboardSpec {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly refresh: string;
  readonly timeFrom: string;
  readonly variables: readonly VariableSpec[];
  readonly rows: readonly RowSpec[];
}

const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };
const PANEL_HEIGHT = 8;

function panelBuilder(panel: PanelSpec): TimeseriesPanelBuilder | StatPanelBuilder {
  const builder = panel.kind === 'stat' ? new StatPanelBuilder() : new TimeseriesPanelBuilder();
  builder
    .title(panel.title)
    .description(panel.description)
    .datasource(DATASOURCE)
    .unit(panel.unit)
    .height(PANEL_HEIGHT)
    .span(panel.width ?? 8);
  panel.queries.forEach((query, index) =>
    builder.withTarget(
      new DataqueryBuilder()
        .datasource(DATASOURCE)
        .refId(String.fromCharCode(65 + index))
        .expr(query.expr)
        .legendFormat(query.legend),
    ),
  );
  if (builder instanceof TimeseriesPanelBuilder) builder.fillOpacity(10).min(0);
  return builder;
}

/** The dashboard's JSON model, as Grafana's provisioning reads it. */
export function renderDashboard(spec: DashboardSpec): unknown {
  const builder = new DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags([...spec.tags])
    .editable()
    .tooltip(DashboardCursorSync.Crosshair)
    .refresh(spec.refresh)
    .time({ from: spec.timeFrom, to: 'now' })
    .timezone('browser')
    .withVariable(new DatasourceVariableBuilder('datasource').label('Data source').type('prometheus'));
  for (const variable of spec.variables) {
    const query = `label_values(${variable.metric}, ${variable.labelName})`;
    builder.withVariable(
      new QueryVariableBuilder(variable.name)
        .label(variable.label)
        .datasource(DATASOURCE)
        .query({ query, refId: 'PrometheusVariableQueryEditor-VariableQuery' })
        .definition(query)
        .refresh(VariableRefresh.OnTimeRangeChanged)
        .sort(VariableSort.AlphabeticalAsc)
        .multi(true)
        .includeAll(true)
        .allValue('.*'),
    );
  }
  for (const row of spec.rows) {
    builder.withRow(new RowBuilder(row.title));
    for (const panel of row.panels) builder.withPanel(panelBuilder(panel));
  }
  return builder.build();
}

/** One query of a dashboard, named for where it appears. */
export interface DashboardQuery {
  readonly dashboard: string;
  readonly panel: string;
  readonly expr: string;
}

export function dashboardQueries(spec: DashboardSpec): DashboardQuery[] {
  const panels = spec.rows.flatMap((row) => row.panels);
  return [
    ...spec.variables.map((variable) => ({
      dashboard: spec.uid,
      panel: `variable ${variable.name}`,
      expr: variable.metric,
    })),
    ...panels.flatMap((panel) =>
      panel.queries.map((query) => ({ dashboard: spec.uid, panel: panel.title, expr: query.expr })),
    ),
  ];
}
