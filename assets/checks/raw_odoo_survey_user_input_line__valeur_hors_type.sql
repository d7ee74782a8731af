-- severity: error
-- threshold: 0
-- description: a survey answer line has its value in a column that does not match its answer_type
-- hint: Odoo enforces the pairing, so the extraction is broken: check the field list of survey_user_input_line and the lake files of this date
--
-- Each answer_type keeps its value in one column (char_box in value_char_box, date in value_date,
-- suggestion in suggested_answer_id…); a skipped line has none. value_numerical_box is left out:
-- Odoo sends 0.0 for "unset", so an unset number cannot be told from a zero.
-- NOTE: types whose value column is not extracted (scale, matrix) are only checked for stray values.
with

line as (
  select
    id,
    {{ d.odooText('answer_type') }} as answer_type,
    skipped,
    {{ d.odooText('value_char_box') }} is not null as has_char_box,
    {{ d.odooText('value_text_box') }} is not null as has_text_box,
    {{ d.odooText('value_date') }} is not null as has_date,
    {{ d.odooText('value_datetime') }} is not null as has_datetime,
    {{ d.many2oneId('suggested_answer_id') }} is not null as has_suggestion
  from {{ ref('raw_odoo_survey_user_input_line') }}
),

checked as (
  select
    *,
    case when has_char_box then 1 else 0 end + case when has_text_box then 1 else 0 end
      + case when has_date then 1 else 0 end + case when has_datetime then 1 else 0 end
      + case when has_suggestion then 1 else 0 end as value_columns,
    case answer_type
      when 'char_box' then has_char_box
      when 'text_box' then has_text_box
      when 'date' then has_date
      when 'datetime' then has_datetime
      when 'suggestion' then has_suggestion
    end as has_own_value
  from line
)

select
  {{ d.cast('id', 'string') }} as check_key,
  coalesce(answer_type, 'none') as check_value
from checked
where
  -- a typed line holds its own column and no other
  (has_own_value is not null and (not has_own_value or value_columns > 1))
  -- a skipped line, a number or a type without an extracted column holds none of these columns
  or (has_own_value is null and value_columns > 0)
