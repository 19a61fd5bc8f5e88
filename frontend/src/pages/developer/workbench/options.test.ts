import { describe, expect, it } from "vitest";
import { defaultValues, OPTION_SPECS, toQuery } from "./options";

describe("analysis options", () => {
  it("sends the defaults plus the chart-ready JSON the workbench draws from", () => {
    expect(toQuery(defaultValues())).toEqual({
      include_visualizations: true,
      export_format: "json",
      frequency: "auto",
      decimal: "auto",
      on_bad_rows: "skip",
      include_forecast: true,
    });
  });

  it("leaves out an empty category and the horizon when forecasting is off", () => {
    const values = { ...defaultValues(), category: "  Kopi ", horizon: 24 };
    expect(toQuery(values)).toMatchObject({ category: "Kopi", horizon: 24 });
    const off = { ...values, include_forecast: false, category: " " };
    const query = toQuery(off);
    expect(query).not.toHaveProperty("horizon");
    expect(query).not.toHaveProperty("category");
    expect(query.include_forecast).toBe(false);
  });

  it("describes every option with a default", () => {
    for (const spec of OPTION_SPECS) expect(spec).toHaveProperty("defaultValue");
  });
});
