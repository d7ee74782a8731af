with

latest as (
  {{ latest_records(source('survey_question')) }}
),

selection_label as (
  select * from {{ ref('raw_odoo_selection_label') }}
  where model = 'survey.question'
),

renamed as (
  select
    id as question_id,
    {{ d.odooText('title') }} as titre,
    {{ d.odooText('question_type') }} as type_question_code,
    is_page as est_page,
    {{ d.many2oneId('survey_id') }} as sondage_id,
    {{ d.many2oneName('survey_id') }} as sondage,
    sequence as ordre,
    {{ d.odooDatetime('write_date') }} as date_modification
  from latest
),

labelled as (
  select
    renamed.question_id,
    renamed.titre,
    coalesce(type_label.label, renamed.type_question_code) as type_question,
    renamed.type_question_code,
    renamed.est_page,
    renamed.sondage_id,
    renamed.sondage,
    renamed.ordre,
    renamed.date_modification
  from renamed
  left join selection_label as type_label
    on type_label.field = 'question_type'
    and type_label.key = renamed.type_question_code
)

select * from labelled
