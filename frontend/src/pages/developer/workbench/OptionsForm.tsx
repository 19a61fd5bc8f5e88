import { NumberInput, Select, SimpleGrid, Switch, TextInput } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { isVisible, OPTION_SPECS, type OptionSpec, type OptionValues } from "./options";

function OptionField({
  spec,
  value,
  onChange,
}: {
  spec: OptionSpec;
  value: OptionValues[string];
  onChange: (value: OptionValues[string]) => void;
}) {
  const { t } = useTranslation();
  // Labels live at devPortal.options.<name>.*; the key is built from the spec.
  const text = (key: string) => t(`devPortal.options.${spec.name}.${key}` as never) as string;
  const common = { label: text("label"), description: text("help") };
  switch (spec.kind) {
    case "choice":
      return (
        <Select
          {...common}
          value={String(value)}
          allowDeselect={false}
          data={spec.choices.map((choice) => ({ value: choice.value, label: text(choice.labelKey) }))}
          onChange={(next) => onChange(next ?? spec.defaultValue)}
        />
      );
    case "switch":
      return (
        <Switch
          {...common}
          checked={value === true}
          onChange={(event) => onChange(event.currentTarget.checked)}
          mt="md"
        />
      );
    case "number":
      return (
        <NumberInput
          {...common}
          value={typeof value === "number" ? value : ""}
          min={spec.min}
          max={spec.max}
          allowDecimal={false}
          onChange={(next) => onChange(typeof next === "number" ? next : null)}
        />
      );
    case "text":
      return (
        <TextInput
          {...common}
          value={String(value ?? "")}
          maxLength={spec.maxLength}
          placeholder={text("placeholder")}
          onChange={(event) => onChange(event.currentTarget.value)}
        />
      );
  }
}

/** The analysis options, rendered from OPTION_SPECS. */
export function OptionsForm({
  values,
  onChange,
}: {
  values: OptionValues;
  onChange: (values: OptionValues) => void;
}) {
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
      {OPTION_SPECS.filter((spec) => isVisible(spec, values)).map((spec) => (
        <OptionField
          key={spec.name}
          spec={spec}
          value={values[spec.name] ?? null}
          onChange={(value) => onChange({ ...values, [spec.name]: value })}
        />
      ))}
    </SimpleGrid>
  );
}
