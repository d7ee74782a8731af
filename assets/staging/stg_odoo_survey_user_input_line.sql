with

latest as (
  {{ latest_records(source('survey_user_input_line')) }}
),

selection_label as (
  select * from {{ ref('raw_odoo_selection_label') }}
  where model = 'survey.user_input.line'
),

renamed as (
  select
    id as ligne_reponse_id,
    {{ d.many2oneId('user_input_id') }} as reponse_sondage_id,
    {{ d.many2oneId('question_id') }} as question_id,
    {{ d.many2oneName('question_id') }} as question,
    {{ d.odooText('answer_type') }} as type_reponse_code,
    skipped as est_ignoree,
    -- the label of a suggested answer is survey.question.answer.value; the many2one display name
    -- reads "Question ? : Answer"
    {{ d.many2oneId('suggested_answer_id') }} as suggestion_id,
    coalesce({{ d.odooText('value_char_box') }}, {{ d.odooText('value_text_box') }}) as valeur_texte,
    value_numerical_box,
    {{ d.odooDate('value_date') }} as valeur_date,
    {{ d.odooDatetime('value_datetime') }} as valeur_datetime,
    {{ d.odooText('value_date') }} as valeur_date_texte,
    {{ d.odooText('value_datetime') }} as valeur_datetime_texte,
    {{ d.odooDatetime('create_date') }} as date_creation,
    {{ d.odooDatetime('write_date') }} as date_modification
  from latest
),

typed as (
  select
    renamed.ligne_reponse_id,
    renamed.reponse_sondage_id,
    renamed.question_id,
    renamed.question,
    coalesce(answer_type_label.label, renamed.type_reponse_code) as type_reponse,
    renamed.type_reponse_code,
    renamed.est_ignoree,
    -- answer -----------------------------------------------------------------
    case renamed.type_reponse_code
      when 'char_box' then renamed.valeur_texte
      when 'text_box' then renamed.valeur_texte
      when 'numerical_box' then {{ d.cast('renamed.value_numerical_box', 'string') }}
      when 'date' then renamed.valeur_date_texte
      when 'datetime' then renamed.valeur_datetime_texte
    end as reponse,
    renamed.suggestion_id,
    renamed.valeur_texte,
    -- Odoo sends 0.0 for every line that is not a number answer
    case when renamed.type_reponse_code = 'numerical_box' then renamed.value_numerical_box end as valeur_nombre,
    renamed.valeur_date,
    renamed.valeur_datetime,
    -- record -----------------------------------------------------------------
    renamed.date_creation,
    renamed.date_modification
  from renamed
  left join selection_label as answer_type_label
    on answer_type_label.field = 'answer_type'
    and answer_type_label.key = renamed.type_reponse_code
)

select * from typed
