with

latest as (
  {{ latest_records(source('survey_question_answer')) }}
),

renamed as (
  select
    id as suggestion_id,
    {{ d.odooText('value') }} as valeur,
    {{ d.many2oneId('question_id') }} as question_id,
    sequence as ordre,
    {{ d.odooDatetime('write_date') }} as date_modification
  from latest
)

select * from renamed
