with

source as (
  select * from {{ source('survey_question_answer') }}
),

ranked as (
  select
    *,
    row_number() over (
      partition by id
      order by {{ d.odooDatetime('write_date') }} desc, _lake_key desc
    ) as write_rank
  from source
),

latest as (
  select * from ranked
  where write_rank = 1
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
